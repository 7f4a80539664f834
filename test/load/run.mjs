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
import { auditAnswers } from './audit-answers.mjs';
import {
  auditConnections,
  auditInstancesHealthy,
  auditNodesAgree,
  auditReconciliation,
  auditSettled,
} from './audit-infra.mjs';
import { auditState } from './audit-state.mjs';
import { acrossNodes, figuresOf } from './check.mjs';
import { openDatabase, recreateDatabase } from './database.mjs';
import { CHECKOUT_PATH, COMPANIES, HotPayables, createBody } from './fixtures.mjs';
import { instanceHealth, instanceWarnings, startInstances } from './instances.mjs';
import { Ledger } from './ledger.mjs';
import { loadOptions, OptionsError } from './options.mjs';
import { sampleOpenSessions } from './open-session-sampler.mjs';
import { payRemainingStaleTabs, runPayer } from './payer.mjs';
import { reconcileOnce } from './reconcile.mjs';
import {
  printChecks,
  printFailuresOnly,
  printFigureTable,
  printTraffic,
  printWarnings,
  summarizeTraffic,
} from './report.mjs';
import { sabotage } from './sabotage.mjs';
import { settle } from './settle.mjs';
import { emulatorSessions, nodeState } from './state.mjs';
import { runTraffic } from './traffic.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SLOTS_PER_COMPANY = 4;
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
  let undo = async () => {};
  try {
    for (const db of instanceDbs) await recreateDatabase(db);
    const { emulator, instances, serviceEnv } = await startInstances({
      dbUrls: options.dbUrls,
      firstDb: instanceDbs[0],
      logDir,
      expireDelayMs: options.expireDelayMs,
    });
    console.log(
      `load: ${options.label}; A on ${options.dbUrls[0]} at ${instances[0].url}, B on ${options.dbUrls[1]} at ${instances[1].url}; ` +
        `audits on ${dbs.map((d) => d.label).join(', ')}; emulator at ${emulator.url} (expires take ${options.expireDelayMs} ms), webhooks to A (ready in ${seconds(t0)} s)`,
    );
    await smokeTest(instances);

    console.log(
      `load: ${options.durationS} s, ${options.connections} connections (${options.connections / 2} per instance), ` +
        `${COMPANIES.length} companies × ${SLOTS_PER_COMPANY} hot payables, re-creates + GETs + status, payments meanwhile ...`,
    );
    const hot = new HotPayables(SLOTS_PER_COMPANY);
    const ledger = new Ledger();
    const durationMs = options.durationS * 1000;
    const [traffic, samples] = await Promise.all([
      runTraffic({
        instances,
        connectionsPerInstance: options.connections / 2,
        durationMs,
        hot,
        ledger,
      }),
      sampleOpenSessions(emulator.url, durationMs),
      runPayer({ hot, ledger, durationMs }),
    ]);
    await payRemainingStaleTabs(hot, ledger);
    const settled = await settle(dbs, emulator, SETTLE_MS);

    const handedOut = new Set(ledger.answers.map((a) => a.sessionId).filter((id) => id !== null));
    const stateChecks = async () => {
      const sessions = await emulatorSessions(emulator.url);
      const nodes = await Promise.all(dbs.map(nodeState));
      return {
        sessions,
        nodes,
        perNode: nodes.map((n) => ({ label: n.label, checks: auditState(n, sessions, handedOut) })),
      };
    };
    const before = await stateChecks();
    const reconciliation = await reconcileOnce(serviceEnv(options.dbUrls[0], 0));
    await settle(dbs, emulator, SETTLE_MS);
    let after = await stateChecks();
    if (options.sabotage) {
      const broken = await sabotage(
        dbs,
        options.auditUrls[0],
        emulator.url,
        after.nodes[0],
        after.sessions,
        handedOut,
      );
      for (const line of broken.done) console.log(`load: --sabotage: ${line}`);
      undo = broken.undo;
      after = await stateChecks();
    }

    const summary = summarizeTraffic(ledger, traffic.elapsedMs);
    const checks = [
      ...auditAnswers(ledger, samples),
      ...acrossNodes(
        after.nodes.map((n, i) => ({
          label: n.label,
          checks: [...after.perNode[i].checks, auditConnections(n, instances)],
        })),
      ),
      ...(after.nodes.length > 1 ? [auditNodesAgree(after.nodes)] : []),
      auditSettled(settled, SETTLE_MS),
      auditReconciliation(reconciliation),
      auditInstancesHealthy(await instanceHealth(instances)),
    ];
    const beforeChecks = acrossNodes(before.perNode);

    console.log('');
    printTraffic(summary, ledger);
    console.log(
      `load: settled in ${(settled.ms / 1000).toFixed(1)} s; final reconciliation: ${JSON.stringify(reconciliation.totals)}`,
    );
    printFailuresOnly(
      'load: after the load, before the final reconciliation (not judged)',
      beforeChecks,
    );
    printChecks('load: after the final reconciliation', checks);
    printWarnings(instanceWarnings(instances));
    const figures = {
      throughput: `${summary.perSecond.toFixed(1)} req/s (${summary.requests} requests in ${summary.elapsedS.toFixed(0)} s)`,
      'latency p50 / p99': `${summary.latencyMs.p50} / ${summary.latencyMs.p99} ms`,
      ...figuresOf(checks),
    };
    printFigureTable(options.label, figures, figuresOf(beforeChecks));

    const failed = checks.filter((c) => !c.pass).length;
    if (failed) {
      for (const s of instances) console.log(`load: log of instance ${s.name}: ${s.logFile}`);
      logDir = undefined; // kept for the evidence
    }
    console.log(`\nload: ${checks.length - failed} passed, ${failed} failed (${seconds(t0)} s)`);
    return failed ? 1 : 0;
  } finally {
    await undo();
    await stopAll();
    for (const db of [...dbs, ...instanceDbs]) await db.sql.end().catch(() => {});
  }
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
