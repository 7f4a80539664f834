// @ts-check
// Bringing the run up (fake Stripe, service, reference, the seeded history) and down again.
import { join } from 'node:path';
import { stopChild } from '../../scripts/child-processes.mjs';
import { COMPANY_ID } from './load.mjs';
import { databasePids, memoryOf } from './machine.mjs';
import { RESULTS } from './paths.mjs';
import { serviceEnvironment, startFakeStripe, startReference, startService } from './processes.mjs';
import { seedHistory } from './seed.mjs';

export const PROFILE_DIR = join(RESULTS, 'profiles');

/**
 * @typedef {import('./scenarios.mjs').Setup & {
 *   env: Record<string, string>, logFile: string, seeded: Awaited<ReturnType<typeof seedHistory>>[]
 * }} RunningSetup
 */

/**
 * @param {object} p
 * @param {import('./options.mjs').BenchOptions} p.options
 * @param {import('./databases.mjs').BenchDatabases} p.databases
 * @param {string} p.stamp
 * @param {(line: string) => void} p.log
 * @returns {Promise<RunningSetup>}
 */
export async function bringUp({ options, databases, stamp, log }) {
  const stripe = await startFakeStripe();
  const env = serviceEnvironment(databases.serviceUrl, stripe.url, options.extraEnv);
  const logFile = join(RESULTS, `${stamp}.service.log`);
  const profileDir = options.cpuProf ? PROFILE_DIR : undefined;
  const service = await startService({ env, profileDir, logFile });
  const reference = options.reference
    ? await startReference(stripe.url, databases.referenceUrl)
    : undefined;
  log(
    `bench: ${databases.label}; service pid ${service.pid} at ${service.url}, fake Stripe at ${stripe.url}` +
      (reference ? `, reference pid ${reference.pid} at ${reference.url}` : ''),
  );
  const seeded = [];
  if (options.rows > 0) {
    seeded.push(await seed(databases.serviceUrl, 'payments_', options.rows, log));
    if (reference) seeded.push(await seed(databases.referenceUrl, '', options.rows, log));
  }
  const dbPids = databases.kind === 'mysql' ? databasePids() : [];
  return { options, stripe, service, reference, databasePids: dbPids, env, logFile, seeded };
}

/**
 * @param {string} dbUrl @param {string} prefix @param {number} rows
 * @param {(line: string) => void} log
 */
async function seed(dbUrl, prefix, rows, log) {
  const done = await seedHistory({ dbUrl, prefix, companyId: COMPANY_ID }, rows);
  log(
    `bench: seeded ${done.rows} checkouts of ${done.payables} payables into ${prefix ? 'the service' : 'the reference'} in ${done.seconds.toFixed(0)} s; ${done.settled}`,
  );
  return done;
}

/**
 * Stops everything; the service with SIGINT so that a --cpu-prof profile is written.
 * @param {RunningSetup} setup
 */
export async function tearDown(setup) {
  const hwmMb = memoryOf(setup.service.pid).hwmKb / 1024;
  await stopChild(setup.service.child, 'SIGINT', 15_000);
  await stopChild(setup.reference?.child);
  await stopChild(setup.stripe.child);
  const warnings = setup.service
    .output()
    .split('\n')
    .filter((line) => /WARN|ERROR/.test(line));
  return { serviceVmHwmMb: hwmMb, warnings };
}
