// @ts-check
// What the load test prints: the traffic figures, each check (with evidence when it failed), and
// one table of the figures that go into a closing note, for the database setup that ran.
import { countByKind } from './audit-answers.mjs';
import { figuresOf } from './check.mjs';

const log = (/** @type {string} */ line = '') => console.log(line);

/**
 * @typedef {object} TrafficSummary
 * @property {number} requests
 * @property {number} elapsedS
 * @property {number} perSecond
 * @property {Record<string, number>} perInstance
 * @property {{ p50: number, p90: number, p99: number, max: number }} latencyMs
 * @property {Record<string, number>} byKind "instance op status [code]" → answers
 */

/**
 * @param {import('./ledger.mjs').Ledger} ledger
 * @param {number} elapsedMs
 * @returns {TrafficSummary}
 */
function summarizeTraffic(ledger, elapsedMs) {
  const ms = ledger.answers.map((a) => a.ms).sort((a, b) => a - b);
  const at = (/** @type {number} */ q) =>
    Math.round(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? 0);
  /** @type {Record<string, number>} */
  const perInstance = {};
  for (const a of ledger.answers) perInstance[a.instance] = (perInstance[a.instance] ?? 0) + 1;
  const elapsedS = elapsedMs / 1000;
  return {
    requests: ledger.answers.length,
    elapsedS,
    perSecond: ledger.answers.length / elapsedS,
    perInstance,
    latencyMs: { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: Math.round(ms.at(-1) ?? 0) },
    byKind: countByKind(ledger.answers),
  };
}

/**
 * @param {TrafficSummary} traffic
 * @param {import('./ledger.mjs').Ledger} ledger
 */
function printTraffic(traffic, ledger) {
  const payments = [...ledger.payments.values()].flat();
  log(
    `load: requests   ${traffic.requests} in ${traffic.elapsedS.toFixed(1)} s = ${traffic.perSecond.toFixed(1)} req/s (${Object.entries(
      traffic.perInstance,
    )
      .map(([name, n]) => `${name} ${n}`)
      .join(', ')})`,
  );
  const l = traffic.latencyMs;
  log(`load: latency    p50 ${l.p50} ms, p90 ${l.p90} ms, p99 ${l.p99} ms, max ${l.max} ms`);
  log(`load: answers    ${JSON.stringify(traffic.byKind)}`);
  log(
    `load: payments   ${ledger.payments.size} payables paid by the payer, ${payments.length} payments (${payments.filter((p) => p.how !== 'first').length} on a second or stale tab); pay attempts ${JSON.stringify(ledger.payAttempts)}`,
  );
}

/** @param {string} title @param {import('./check.mjs').Check[]} checks */
function printChecks(title, checks) {
  log(`\n${title}`);
  for (const c of checks) {
    log(`  ${c.pass ? 'PASS' : 'FAIL'}  ${c.name} — ${c.detail}`);
    if (!c.pass && c.evidence !== undefined)
      log(`        evidence: ${oneLine(c.evidence).slice(0, 2500)}`);
  }
}

/**
 * The failing checks only, for a state that is not judged (before the final reconciliation).
 * @param {string} title @param {import('./check.mjs').Check[]} checks
 */
function printFailuresOnly(title, checks) {
  const failing = checks.filter((c) => !c.pass);
  log(
    `\n${title}: ${failing.length ? `${failing.length} of ${checks.length} state checks would fail` : `all ${checks.length} state checks hold`}`,
  );
  for (const c of failing) log(`  (fail)  ${c.name} — ${c.detail}`);
}

/** The figures for a closing note, in this order when present. */
const TABLE = [
  'throughput',
  'latency p50 / p99',
  '5xx answers',
  'other unexpected answers (incl. 5xx, transport errors)',
  'payables paid at Stripe',
  'double payments (payables paid twice at Stripe)',
  'real duplicate payments left unflagged',
  'recorded (first) payments of double-paid payables flagged',
  'false refund_required flags',
  'refund_required flags',
  'peak open sessions per payable during the load',
  'listings with a payable holding >1 open session',
  'payables with >1 open session',
  'payables with >1 open row',
  'checkout rows disagreeing with Stripe',
  'sessions at Stripe the database does not know',
  'GETs after a payment not answering it as paid',
  'creates after a payment answered 200',
  'leases left held',
  'checkouts left creating',
  'busy connections / open transactions after the load',
  'final reconciliation',
];

/**
 * @param {string} label the database setup
 * @param {Record<string, number | string>} after figures after the final reconciliation
 * @param {Record<string, number | string>} before the same before it, where they differ
 */
function printFigureTable(label, after, before) {
  log(`\nload: figures (${label}; "before → after" where the final reconciliation changed them)\n`);
  log(`| figure | ${label} |`);
  log('|---|---|');
  for (const name of TABLE) {
    if (!(name in after)) continue;
    const changed = name in before && before[name] !== after[name];
    log(`| ${name} | ${changed ? `${before[name]} → ${after[name]}` : after[name]} |`);
  }
}

/** @param {string[]} warnings */
function printWarnings(warnings) {
  if (!warnings.length) return;
  log(`\nload: the instances logged ${warnings.length} warning/error lines, first ones:`);
  for (const line of warnings.slice(0, 8)) log(`  ${line.slice(0, 400)}`);
}

/**
 * Everything after the load, in reading order; the checks after the final reconciliation are
 * the verdict, the state before it is shown where it would have failed.
 * @param {object} p
 * @param {string} p.label
 * @param {import('./ledger.mjs').Ledger} p.ledger
 * @param {number} p.elapsedMs
 * @param {{ ms: number }} p.settled
 * @param {import('./reconcile.mjs').ReconcileOutcome} p.reconciliation
 * @param {import('./check.mjs').Check[]} p.before state checks before the final reconciliation
 * @param {import('./check.mjs').Check[]} p.checks the verdict
 * @param {string[]} p.warnings
 */
export function printReport({
  label,
  ledger,
  elapsedMs,
  settled,
  reconciliation,
  before,
  checks,
  warnings,
}) {
  const traffic = summarizeTraffic(ledger, elapsedMs);
  log();
  printTraffic(traffic, ledger);
  log(
    `load: settled in ${(settled.ms / 1000).toFixed(1)} s; final reconciliation: ${JSON.stringify(reconciliation.totals)}`,
  );
  printFailuresOnly('load: after the load, before the final reconciliation (not judged)', before);
  printChecks('load: after the final reconciliation', checks);
  printWarnings(warnings);
  const figures = {
    throughput: `${traffic.perSecond.toFixed(1)} req/s (${traffic.requests} requests in ${traffic.elapsedS.toFixed(0)} s)`,
    'latency p50 / p99': `${traffic.latencyMs.p50} / ${traffic.latencyMs.p99} ms`,
    ...figuresOf(checks),
  };
  printFigureTable(label, figures, figuresOf(before));
}

/** @param {unknown} value */
const oneLine = (value) => JSON.stringify(value, null, 1).replace(/\n\s*/g, ' ');
