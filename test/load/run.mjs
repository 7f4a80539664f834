#!/usr/bin/env node
// @ts-check
/* global AbortSignal, fetch, setTimeout */
// `npm run test:load` (issue "Money safety"): two instances of the built service (app/dist/) on
// their databases (LOAD_DB_URLS; default both on the local MariaDB) and one Stripe emulator whose
// webhooks go to instance A. For the duration, both instances are driven with re-creates, GETs
// and status reads of a small hot set of payables while a payer pays their sessions on the
// emulator's hosted page, trying the earlier sessions too, as a customer with an old tab would.
// Then the work settles, a final reconciliation runs, and the invariants are audited on every
// database server (LOAD_AUDIT_DB_URLS) against the emulator. Options: test/load/options.mjs.
// Exit code 0 only when every check passes. Children are always stopped.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopAll } from '../../scripts/child-processes.mjs';
import { snapshot, stateVerdict, verdict } from './audit.mjs';
import { openDatabase, recreateDatabase } from './database.mjs';
import { driveLoad } from './drive.mjs';
import { CHECKOUT_PATH, COMPANIES, createBody } from './fixtures.mjs';
import { instanceHealth, instanceWarnings, startInstances } from './instances.mjs';
import { loadOptions, OptionsError } from './options.mjs';
import { reconcileOnce } from './reconcile.mjs';
import { printReport } from './report.mjs';
import { sabotage } from './sabotage.mjs';
import { settle } from './settle.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Everything after the build; `npm run test:load` (build included) stays under 3 minutes. */
const BUDGET_MS = 150_000;
const SETTLE_MS = 25_000;

/** @type {string | undefined} */
let logDir;

for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
  process.once(signal, () => {
    console.error(`\nload: ${signal}, stopping the children`);
    console.log('load: 0 passed, 1 failed (interrupted)');
    void stopAll().finally(() => {
      if (logDir) rmSync(logDir, { recursive: true, force: true });
      process.exit(130);
    });
  });
}
setTimeout(() => {
  console.error(`load: over the ${BUDGET_MS / 1000} s budget, giving up`);
  console.log('load: 0 passed, 1 failed (budget exceeded)');
  void stopAll().finally(() => process.exit(1));
}, BUDGET_MS).unref();

/** @param {import('./options.mjs').LoadOptions} options */
async function run(options) {
  const t0 = Date.now();
  logDir = mkdtempSync(join(tmpdir(), 'payments-load-'));
  const dbs = await Promise.all(options.auditUrls.map(openDatabase));
  const instanceDbs = await Promise.all([...new Set(options.dbUrls)].map(openDatabase));
  /** @type {{ undo?: () => Promise<void> }} */
  const sabotaged = {};
  try {
    const { emulator, instances, serviceEnv } = await bringUp(options, dbs, instanceDbs, logDir);
    const load = await driveLoad({
      instances,
      emulatorUrl: emulator.url,
      durationS: options.durationS,
      connections: options.connections,
    });
    const seen = await observe({
      options,
      dbs,
      emulator,
      serviceEnv,
      ledger: load.ledger,
      sabotaged,
    });
    const checks = verdict({
      ...load,
      ...seen,
      instances,
      settleLimitMs: SETTLE_MS,
      health: await instanceHealth(instances),
    });
    printReport({
      ...load,
      ...seen,
      label: options.label,
      before: stateVerdict(seen.before),
      checks,
      warnings: instanceWarnings(instances),
    });
    const failed = checks.filter((c) => !c.pass).length;
    if (failed) {
      for (const s of instances) console.log(`load: log of instance ${s.name}: ${s.logFile}`);
      logDir = undefined; // kept for the evidence
    }
    console.log(`\nload: ${checks.length - failed} passed, ${failed} failed (${seconds(t0)} s)`);
    return failed ? 1 : 0;
  } finally {
    await sabotaged.undo?.();
    await stopAll();
    for (const db of [...dbs, ...instanceDbs]) await db.sql.end().catch(() => {});
  }
}

/**
 * Fresh databases, the emulator and both instances, and one create per company through them.
 * @param {import('./options.mjs').LoadOptions} options
 * @param {import('./database.mjs').Database[]} dbs the audited servers
 * @param {import('./database.mjs').Database[]} instanceDbs the instances' servers
 * @param {string} dir for the instances' logs
 */
async function bringUp(options, dbs, instanceDbs, dir) {
  const t0 = Date.now();
  for (const db of instanceDbs) await recreateDatabase(db);
  const started = await startInstances({
    dbUrls: options.dbUrls,
    firstDb: instanceDbs[0],
    logDir: dir,
    expireDelayMs: options.expireDelayMs,
  });
  const [a, b] = started.instances;
  console.log(
    `load: ${options.label}; A on ${options.dbUrls[0]} at ${a.url}, B on ${options.dbUrls[1]} at ${b.url}; ` +
      `audits on ${dbs.map((d) => d.label).join(', ')}; emulator at ${started.emulator.url} ` +
      `(expires take ${options.expireDelayMs} ms), webhooks to A (ready in ${seconds(t0)} s)`,
  );
  await smokeTest(started.instances);
  return started;
}

/**
 * After the load: settle, read the state, reconcile, settle, read it again (and with --sabotage,
 * break it and read it once more).
 * @param {object} p
 * @param {import('./options.mjs').LoadOptions} p.options
 * @param {import('./database.mjs').Database[]} p.dbs
 * @param {import('../../scripts/child-processes.mjs').CountingEmulator} p.emulator
 * @param {(dbUrl: string, port: number) => NodeJS.ProcessEnv} p.serviceEnv
 * @param {import('./ledger.mjs').Ledger} p.ledger
 * @param {{ undo?: () => Promise<void> }} p.sabotaged
 */
async function observe({ options, dbs, emulator, serviceEnv, ledger, sabotaged }) {
  const settled = await settle(dbs, emulator, SETTLE_MS);
  const handedOut = new Set(ledger.answers.map((a) => a.sessionId).filter((id) => id !== null));
  const read = () => snapshot(dbs, emulator.url, handedOut);
  const before = await read();
  const reconciliation = await reconcileOnce(serviceEnv(options.dbUrls[0], 0));
  await settle(dbs, emulator, SETTLE_MS);
  let after = await read();
  if (options.sabotage) {
    const broken = await sabotage(dbs, options.auditUrls[0], emulator.url, after, handedOut);
    for (const line of broken.done) console.log(`load: --sabotage: ${line}`);
    sabotaged.undo = broken.undo;
    after = await read();
  }
  return { settled, before, reconciliation, after };
}

/**
 * One create per company, through each instance in turn: a misconfiguration shows here, plainly.
 * @param {import('../../scripts/service-process.mjs').ServiceProcess[]} instances
 */
async function smokeTest(instances) {
  for (const [i, company] of COMPANIES.entries()) {
    const instance = instances[i % instances.length];
    const response = await fetch(`${instance.url}${CHECKOUT_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': company.apiKey },
      body: createBody(company, `smoke-${i + 1}`),
      signal: AbortSignal.timeout(15_000),
    });
    if (response.status !== 200)
      throw new Error(
        `first create for ${company.id} via ${instance.name}: ${response.status} ${await response.text()}`,
      );
  }
}

/** @param {number} since */
const seconds = (since) => ((Date.now() - since) / 1000).toFixed(1);

async function main() {
  let options;
  try {
    options = loadOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof OptionsError)) throw error;
    console.error(`load: ${error.message}`);
    return 2;
  }
  if (!existsSync(join(ROOT, 'app', 'dist', 'main.js'))) {
    console.error('load: app/dist/ is missing: run `npm run build` (or use `npm run test:load`)');
    return 2;
  }
  try {
    return await run(options);
  } catch (error) {
    console.error(`load: failed: ${/** @type {Error} */ (error)?.stack ?? error}`);
    console.log('load: 0 passed, 1 failed (the run did not complete)');
    if (logDir) console.error(`load: service logs kept in ${logDir}`);
    logDir = undefined;
    return 1;
  } finally {
    if (logDir) rmSync(logDir, { recursive: true, force: true });
  }
}

process.exit(await main());
