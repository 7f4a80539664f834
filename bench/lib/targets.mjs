// @ts-check
// The targets of issue 13 for scenario (a), judged from the reported rows.

/** @typedef {import('./scenarios.mjs').ReportedRow} Row */
/** @typedef {{ name: string, measured: string, limit: string, pass: boolean }} Target */

export const fmt = (/** @type {number | null | undefined} */ n, digits = 1) =>
  n === null || n === undefined || Number.isNaN(n) ? 'n/a' : n.toFixed(digits);

/**
 * @param {Row[]} runs
 * @param {'sqlite' | 'mysql'} kind
 * @param {number} peakRssMb the service's highest RSS over the whole run
 * @returns {Target[]}
 */
export function evaluateTargets(runs, kind, peakRssMb) {
  const a = runs.find((r) => r.scenario === 'a' && r.server === 'service');
  const ref = runs.find((r) => r.scenario === 'a' && r.server === 'reference');
  if (!a) return [];
  const floor = kind === 'sqlite' ? 0.5 : 0.8;
  /** @type {Target[]} */
  const targets = [];
  if (ref) {
    const share = a.reqPerSec / ref.reqPerSec;
    const p99 = a.latencyMs.p99 / ref.latencyMs.p99;
    targets.push(
      target(
        'throughput vs reference',
        `${fmt(share * 100, 0)} %`,
        `≥ ${floor * 100} %`,
        share >= floor,
      ),
    );
    targets.push(target('p99 vs reference', `${fmt(p99, 2)} ×`, '≤ 2 ×', p99 <= 2));
  }
  targets.push(
    target('peak RSS of the service', `${fmt(peakRssMb, 0)} MB`, '≤ 200 MB', peakRssMb <= 200),
  );
  targets.push(
    target(
      'Stripe calls per new-payable checkout',
      fmt(a.stripeCallsPerCheckout, 3),
      '= 1',
      a.ok > 0 && a.stripeCalls === a.ok,
    ),
  );
  const data = dataStatements(a);
  targets.push(
    target(
      'SQL statements per new-payable checkout (BEGIN/COMMIT aside)',
      fmt(data, 2),
      '≤ 6',
      data !== null && data <= 6,
    ),
  );
  targets.push(
    target(
      'errors (non-2xx) in scenario (a)',
      String(a.errors + a.conflicts409),
      '0',
      a.errors + a.conflicts409 === 0,
    ),
  );
  return targets;
}

/** The statements of a checkout that read or write rows: the transaction brackets left out. */
function dataStatements(/** @type {Row} */ row) {
  if (!row.sqlByKind || !row.ok) return null;
  const brackets = ['BEGIN', 'COMMIT', 'START', 'ROLLBACK', 'SAVEPOINT', 'RELEASE'];
  const data = Object.entries(row.sqlByKind)
    .filter(([kind]) => !brackets.includes(kind))
    .reduce((sum, [, n]) => sum + n, 0);
  return data / row.ok;
}

/** @returns {Target} */
const target = (
  /** @type {string} */ name,
  /** @type {string} */ measured,
  /** @type {string} */ limit,
  /** @type {boolean} */ pass,
) => ({
  name,
  measured,
  limit,
  pass,
});
