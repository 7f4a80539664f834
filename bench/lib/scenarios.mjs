// @ts-check
/* global AbortSignal, fetch */
// The three scenarios: (a) a create for a new payable each request, the service and the
// reference taking turns round by round so both see the machine alike; (b) re-creates of a few
// hot payables (each one ends the payable's earlier session first); (c) GETs of existing payables.
import { randomBytes } from 'node:crypto';
import { CHECKOUT_PATH, createBody, HEADERS } from './load.mjs';
import { measure } from './measure.mjs';

export const HOT_PAYABLES = 50;

/**
 * @typedef {object} Setup
 * @property {import('./options.mjs').BenchOptions} options
 * @property {import('./processes.mjs').FakeStripe} stripe
 * @property {import('./processes.mjs').Server} service
 * @property {import('./processes.mjs').Server | undefined} reference
 * @property {number[]} databasePids
 */
/** @typedef {import('./measure.mjs').Row & { rounds?: RoundSummary[] }} ReportedRow */
/** @typedef {{ reqPerSec: number, p99: number, otherLoadPercent: number, reported: boolean }} RoundSummary */

const runId = randomBytes(3).toString('hex');
let sequence = 0;
const newRef = () => `bench-${runId}-${++sequence}`;

/**
 * @param {Setup} setup
 * @param {(line: string) => void} log
 * @returns {Promise<{ runs: ReportedRow[], otherRounds: ReportedRow[] }>}
 */
export async function runScenarios(setup, log) {
  /** @type {ReportedRow[]} */
  const runs = [];
  /** @type {ReportedRow[]} */
  const otherRounds = [];
  const { scenarios } = setup.options;
  if (scenarios.includes('a')) {
    const a = await scenarioA(setup, log);
    runs.push(...a.reported);
    otherRounds.push(...a.others);
  }
  const refsForGet = (runs[0]?.okRefs ?? []).slice(0, 1000);
  if (scenarios.includes('b')) runs.push(await scenarioB(setup, log));
  if (scenarios.includes('c')) {
    if (!refsForGet.length) refsForGet.push(...(await createPayables(setup.service, 100, newRef)));
    runs.push(await randomPick(setup, 'c', 'get', refsForGet, log));
  }
  return { runs, otherRounds };
}

/** @param {Setup} setup @param {(line: string) => void} log */
async function scenarioA(setup, log) {
  /** @type {Record<string, import('./measure.mjs').Row[]>} */
  const rounds = { service: [], reference: [] };
  const servers = [setup.service, setup.reference].filter((s) => s !== undefined);
  for (let round = 1; round <= setup.options.rounds; round++) {
    for (const server of servers) {
      const m = { scenario: 'a', kind: /** @type {const} */ ('create'), server, nextRef: newRef };
      const row = await measure(
        { ...m, stripe: setup.stripe, databasePids: setup.databasePids },
        setup.options,
      );
      rounds[server.name].push(row);
      log(`bench: (a) new payable, ${server.name}, round ${round}: ${summary(row)}`);
    }
  }
  /** @type {ReportedRow[]} */
  const reported = [];
  /** @type {ReportedRow[]} */
  const others = [];
  for (const list of Object.values(rounds).filter((l) => l.length)) {
    const median = medianRow(list);
    reported.push({ ...median, rounds: list.map((row) => roundSummary(row, row === median)) });
    others.push(...list.filter((row) => row !== median));
  }
  return { reported, others };
}

/** The round of median throughput: one disturbed round moves neither figure. */
function medianRow(/** @type {import('./measure.mjs').Row[]} */ list) {
  const sorted = [...list].sort((x, y) => x.reqPerSec - y.reqPerSec);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** @param {import('./measure.mjs').Row} row @param {boolean} reported @returns {RoundSummary} */
const roundSummary = (row, reported) => ({
  reqPerSec: row.reqPerSec,
  p99: row.latencyMs.p99,
  otherLoadPercent: row.cpuMs.foreignPercent,
  reported,
});

/** @param {Setup} setup @param {(line: string) => void} log */
async function scenarioB(setup, log) {
  let i = 0;
  const hot = await createPayables(setup.service, HOT_PAYABLES, () => `bench-${runId}-hot-${i++}`);
  return randomPick(setup, 'b', 'create', hot, log);
}

/**
 * The service, each request on a payable picked at random from `refs`.
 * @param {Setup} setup
 * @param {string} scenario
 * @param {'create' | 'get'} kind
 * @param {string[]} refs
 * @param {(line: string) => void} log
 */
async function randomPick(setup, scenario, kind, refs, log) {
  const nextRef = () => refs[Math.floor(Math.random() * refs.length)];
  const m = { scenario, kind, server: setup.service, nextRef };
  const row = await measure(
    { ...m, stripe: setup.stripe, databasePids: setup.databasePids },
    setup.options,
  );
  log(`bench: (${scenario}) ${kind} on ${refs.length} payables, service: ${summary(row)}`);
  return row;
}

/**
 * Creates `count` payables through the service, one after another.
 * @param {import('./processes.mjs').Server} service
 * @param {number} count
 * @param {() => string} nextRef
 */
async function createPayables(service, count, nextRef) {
  const refs = [];
  for (let n = 0; n < count; n++) {
    const ref = nextRef();
    const response = await fetch(`${service.url}${CHECKOUT_PATH}`, {
      method: 'POST',
      headers: HEADERS,
      body: createBody(ref),
      signal: AbortSignal.timeout(15_000),
    });
    if (!response.ok)
      throw new Error(`creating payable ${ref}: ${response.status} ${await response.text()}`);
    refs.push(ref);
  }
  return refs;
}

/** @param {import('./measure.mjs').Row} row */
export function summary(row) {
  const rps = row.reqPerSec.toFixed(0);
  return `${rps} req/s, p50 ${row.latencyMs.p50} ms, p99 ${row.latencyMs.p99} ms, ${row.ok} ok, ${row.conflicts409} × 409, ${row.errors} errors, peak RSS ${row.peakRssMb.toFixed(0)} MB`;
}
