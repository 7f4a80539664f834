// @ts-check
/* global AbortSignal, fetch */
// The processes under test: one counting Stripe emulator and the built service twice (A and B),
// each on its own database URL. The emulator's webhooks go to instance A, whose port is chosen
// first for that; its expires take as long as a real Stripe round trip (expireDelayMs).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { isRunning, startCountingEmulator } from '../../scripts/child-processes.mjs';
import { freeLoopbackPorts } from '../../scripts/local-ports.mjs';
import { startServiceProcess } from '../../scripts/service-process.mjs';
import { insertLoadCompany } from './database.mjs';
import { STRIPE_KEY } from './fixtures.mjs';

/** @typedef {import('../../scripts/service-process.mjs').ServiceProcess} ServiceProcess */

/**
 * @param {object} p
 * @param {string[]} p.dbUrls one per instance
 * @param {import('./database.mjs').Database} p.firstDb where the third company is inserted
 * @param {string} p.logDir
 * @param {number} p.expireDelayMs
 */
export async function startInstances({ dbUrls, firstDb, logDir, expireDelayMs }) {
  const webhookSecret = `whsec_load${randomBytes(8).toString('hex')}`;
  const [portA] = await freeLoopbackPorts(1);
  const emulator = await startCountingEmulator('load emulator', {
    webhookUrl: `http://127.0.0.1:${portA}/payment/stripe/v1/webhook`,
    webhookSecret,
    expireDelayMs,
  });
  /** @param {string} dbUrl @param {number} port @returns {NodeJS.ProcessEnv} */
  const serviceEnv = (dbUrl, port) => {
    /** @type {NodeJS.ProcessEnv} */
    const env = {
      ...process.env,
      NODE_ENV: 'development',
      DEMO_DATA: '1', // the demo companies and keys on the empty database
      DB_URL: dbUrl,
      PORT: String(port),
      STRIPE_SECRET_KEY: STRIPE_KEY,
      STRIPE_API_URL: emulator.url,
      STRIPE_WEBHOOK_SECRET: webhookSecret,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_KEY: '0',
      RATE_LIMIT_PER_PAYABLE: '0',
      // reconciliation runs on both instances during the load; it only touches rows older than
      // its grace period, so it leaves the run's checkouts alone
      RECONCILE_INTERVAL_MS: '5000',
    };
    delete env.SQL_STATS;
    delete env.REDIS_URL;
    return env;
  };
  /** @param {string} name @param {string} dbUrl @param {number} port */
  const start = (name, dbUrl, port) =>
    startServiceProcess({
      name,
      env: serviceEnv(dbUrl, port),
      logFile: join(logDir, `service-${name}.log`),
    });
  // A first: it runs the migrations and seeds the demo data that B then finds
  const a = await start('A', dbUrls[0], portA);
  await insertLoadCompany(firstDb);
  const b = await start('B', dbUrls[1], 0);
  return { emulator, instances: [a, b], serviceEnv };
}

/** @param {ServiceProcess[]} instances */
export async function instanceHealth(instances) {
  return Promise.all(
    instances.map(async (s) => {
      let health;
      try {
        const response = await fetch(`${s.url}/health`, { signal: AbortSignal.timeout(5_000) });
        health = response.status;
      } catch (error) {
        health = `error ${/** @type {Error} */ (error).message}`;
      }
      return { name: s.name, alive: isRunning(s.child), health };
    }),
  );
}

/**
 * WARN/ERROR lines the instances logged, for the report.
 * @param {ServiceProcess[]} instances
 */
export function instanceWarnings(instances) {
  return instances.flatMap((s) =>
    s
      .output()
      .split('\n')
      .filter((line) => /WARN|ERROR/.test(line))
      .map((line) => `${s.name}: ${line}`),
  );
}
