#!/usr/bin/env node
/* global setTimeout */
// @ts-check
// `npm run bench`: the built service (app/dist/) and a hand-written reference of the same create
// flow (bench/reference.mjs), each in its own process, both calling one minimal fake Stripe
// (bench/fake-stripe.mjs) that answers at once; autocannon on loopback. Scenario (a) runs in
// interleaved rounds and reports the ratio; (b) and (c) measure the service alone. --rows N seeds
// N historical checkouts first. Writes bench/results/<ISO date>.json and .md. Usage: see
// bench/lib/options.mjs, README "Performance".
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopAll } from '../scripts/child-processes.mjs';
import { prepareDatabases } from './lib/databases.mjs';
import { describeMachine } from './lib/machine.mjs';
import { benchOptions, OptionsError, USAGE } from './lib/options.mjs';
import { ROOT } from './lib/paths.mjs';
import { bringUp, tearDown } from './lib/setup.mjs';
import { runScenarios } from './lib/scenarios.mjs';
import { writeReport } from './lib/write-report.mjs';

const BUDGET_MS = 15 * 60_000;
/** @type {string | undefined} */
let tempDir;

function guardChildren() {
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
    process.once(signal, () => {
      console.error(`\nbench: ${signal}, stopping the children`);
      void stopAll().finally(() => exit(130));
    });
  }
  setTimeout(() => {
    console.error(`bench: over the ${BUDGET_MS / 60_000} min budget, giving up`);
    void stopAll().finally(() => exit(1));
  }, BUDGET_MS).unref();
}

/** @param {number} code */
function exit(code) {
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  process.exit(code);
}

/** @param {import('./lib/options.mjs').BenchOptions} options */
async function bench(options) {
  const started = new Date();
  const machine = await describeMachine();
  console.log(
    `bench: load average ${machine.loadAverageAtStart.join(' ')}, CPU idle ${machine.cpuIdlePercentAtStart} %`,
  );
  tempDir = mkdtempSync(join(tmpdir(), 'payments-bench-'));
  const databases = await prepareDatabases(options, tempDir);
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  const setup = await bringUp({ options, databases, stamp, log: console.log });
  const { runs, otherRounds } = await runScenarios(setup, console.log);
  const after = await tearDown(setup);
  writeReport({ started, machine, options, databases, setup, runs, otherRounds, after, stamp });
}

async function main() {
  let options;
  try {
    options = benchOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof OptionsError)) throw error;
    console.error(`bench: ${error.message}\n${USAGE}`);
    return 2;
  }
  if (!existsSync(join(ROOT, 'app', 'dist', 'main.js'))) {
    console.error('bench: app/dist/ is missing: run `npm run build` (or use `npm run bench`)');
    return 2;
  }
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  guardChildren();
  try {
    await bench(options);
    return 0;
  } catch (error) {
    console.error(`bench: failed: ${/** @type {Error} */ (error)?.stack ?? error}`);
    return 1;
  } finally {
    await stopAll();
  }
}

exit(await main());
