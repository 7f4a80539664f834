// @ts-check
/* global AbortSignal, fetch */
// The bench's child processes: the fake Stripe, the service (app/dist/) and the reference, each
// in its own process, tracked by scripts/child-processes.mjs so none outlives the bench.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { onceMessage, track } from '../../scripts/child-processes.mjs';
import { startServiceProcess } from '../../scripts/service-process.mjs';
import { ROOT } from './paths.mjs';

/**
 * @typedef {object} Counted a process whose Stripe calls, or SQL statements, are counted
 * @property {import('node:child_process').ChildProcess} child
 * @property {number} pid
 * @property {string} url
 */
/** @typedef {Counted & { counts: () => Promise<import('../../scripts/child-processes.mjs').EmulatorCounts> }} FakeStripe */
/** @typedef {Counted & { name: 'service' | 'reference', sqlStats?: () => Promise<SqlStats>, output: () => string }} Server */
/**
 * @typedef {object} SqlStats what app/src/database/query-counter.ts counts (SQL_STATS=1)
 * @property {number} sqlStatements
 * @property {number} sqlErrors
 * @property {Record<string, number>} byKind
 * @property {Record<string, number>} byStatement
 */

/** @returns {Promise<FakeStripe>} */
export async function startFakeStripe(label = 'fake-stripe') {
  const child = track(
    fork(join(ROOT, 'bench', 'fake-stripe.mjs'), [], {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
    label,
  );
  const { url } = await onceMessage(child, 'ready', 30_000, label);
  let nextId = 0;
  const counts = () => {
    const id = ++nextId;
    const answer = onceMessage(child, 'counts', 5_000, label).then((m) => {
      if (m.id !== id) throw new Error(`${label}: counts answered out of order`);
      return m.counts;
    });
    child.send({ type: 'counts', id });
    return answer;
  };
  return { child, pid: /** @type {number} */ (child.pid), url, counts };
}

/**
 * The service's environment as the bench sets it. One demo API key drives all the load: the
 * per-key/per-payable limits would measure the limiter's policy, not the service (--env sets them).
 * @param {string} dbUrl
 * @param {string} stripeUrl
 * @param {Record<string, string>} extraEnv
 */
export function serviceEnvironment(dbUrl, stripeUrl, extraEnv) {
  return {
    NODE_ENV: 'development',
    DEMO_DATA: '1',
    DB_URL: dbUrl,
    PORT: '0',
    STRIPE_SECRET_KEY: 'sk_test_bench',
    STRIPE_API_URL: stripeUrl,
    LOG_LEVEL: 'warn',
    SQL_STATS: '1',
    // the periodic reconciliation would add its statements to whichever run it lands in
    RECONCILE_INTERVAL_MS: '86400000',
    RATE_LIMIT_PER_KEY: '0',
    RATE_LIMIT_PER_PAYABLE: '0',
    ...extraEnv,
  };
}

/**
 * @param {object} p
 * @param {Record<string, string>} p.env from serviceEnvironment
 * @param {string | undefined} p.profileDir write a --cpu-prof profile there at exit
 * @param {string} p.logFile
 * @returns {Promise<Server>}
 */
export async function startService({ env, profileDir, logFile }) {
  const nodeArgs = [];
  if (profileDir) {
    mkdirSync(profileDir, { recursive: true });
    // Nest's shutdown hook re-raises the signal after closing the app; the preload turns that
    // second signal into a normal exit so that --cpu-prof writes the profile.
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`);
    nodeArgs.push('--import', join(ROOT, 'bench', 'exit-on-signal.mjs'));
  }
  const secret = `whsec_bench${randomBytes(8).toString('hex')}`;
  const service = await startServiceProcess({
    name: 'bench',
    env: { ...process.env, ...env, STRIPE_WEBHOOK_SECRET: secret },
    nodeArgs,
    logFile,
  });
  const sqlStats = async () => {
    const response = await fetch(`${service.url}/_stats`, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(`/_stats answered ${response.status} (is SQL_STATS wired?)`);
    return /** @type {Promise<SqlStats>} */ (response.json());
  };
  return { ...service, name: 'service', sqlStats };
}

/**
 * bench/reference.mjs on its own database.
 * @param {string} stripeUrl
 * @param {string} dbUrl sqlite:<file> or mysql://…
 * @returns {Promise<Server>}
 */
export async function startReference(stripeUrl, dbUrl) {
  const child = track(
    fork(join(ROOT, 'bench', 'reference.mjs'), [], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', STRIPE_API_URL: stripeUrl, REFERENCE_DB: dbUrl },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
    'reference',
  );
  const { url } = await onceMessage(child, 'ready', 30_000, 'reference');
  return {
    name: 'reference',
    child,
    url,
    pid: /** @type {number} */ (child.pid),
    output: () => '',
  };
}
