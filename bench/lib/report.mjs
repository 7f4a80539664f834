// @ts-check
// The Markdown of a bench run (bench/results/<date>.md), from the JSON report.
import { HOT_PAYABLES } from './scenarios.mjs';
import { fmt } from './targets.mjs';

/** @typedef {import('./scenarios.mjs').ReportedRow} Row */

/** @param {Row} row */
const scenarioLabel = (row) =>
  ({
    a: '(a) create, new payable',
    b: `(b) re-create, ${HOT_PAYABLES} hot payables`,
    c: '(c) GET current checkout',
  })[row.scenario] ?? row.scenario;

/** @param {any} report @returns {string} */
export function markdown(report) {
  return [
    ...header(report),
    ...table(report.runs),
    ...ratio(report),
    ...targetTable(report.targets),
    ...rounds(report.runs),
    ...perCheckout(report.runs),
    ...statements(report.runs),
    ...failures(report.runs),
    ...profile(report.profile),
  ].join('\n');
}

/** @param {any} r */
function header(r) {
  const m = r.machine;
  return [
    `Run ${r.date} · ${m.cpus} × ${m.cpuModel} · Node ${m.node} · ${r.database} · ${r.rows} historical checkouts seeded · ` +
      `${r.settings.connections} connections · warm-up ${r.settings.warmupS} s + ~${r.settings.durationS} s per run · commit ${r.commit}`,
    '',
    `Quietness before the run: load average ${m.loadAverageAtStart.join(' / ')} (1/5/15 min), CPU idle ${fmt(m.cpuIdlePercentAtStart, 0)} % over 3 s. ` +
      `Stripe: bench/fake-stripe.mjs (answers at once). Service: \`${['node', r.settings.serviceNodeFlags, 'app/dist/main.js'].filter(Boolean).join(' ')}\`, env: ${r.settings.serviceEnvShown}`,
    '',
  ];
}

/** @param {Row[]} runs */
function table(runs) {
  const lines = [
    '| scenario | server | req/s | p50 ms | p99 ms | 2xx | 409 | errors | peak RSS MB | Stripe calls / checkout | SQL / checkout | server CPU ms / req | other load % |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const r of runs) {
    lines.push(
      `| ${scenarioLabel(r)} | ${r.server} | ${fmt(r.reqPerSec, 0)} | ${fmt(r.latencyMs.p50, 0)} | ${fmt(r.latencyMs.p99, 0)} | ${r.ok} | ${r.conflicts409} | ${r.errors} | ${fmt(r.peakRssMb, 0)} | ${fmt(r.stripeCallsPerCheckout, 2)} | ${r.sqlPerCheckout === null ? 'n/a' : fmt(r.sqlPerCheckout, 2)} | ${fmt(r.serverCpuMsPerRequest, 2)} | ${fmt(r.cpuMs.foreignPercent, 0)} |`,
    );
  }
  return lines;
}

/** @param {any} report */
function ratio(report) {
  if (!report.ratio) return [];
  const { throughput, p99, cpuPerRequest } = report.ratio;
  return [
    '',
    `**Service vs reference, scenario (a): throughput ${fmt(throughput * 100, 0)} % of the reference, p99 ${fmt(p99, 2)} × the reference's** (median rounds); ` +
      `CPU time per request ${fmt(cpuPerRequest, 2)} × the reference's (the figure least moved by other load: at equal CPU the service would serve ${fmt(100 / cpuPerRequest, 0)} % of the reference).`,
  ];
}

/** @param {import('./targets.mjs').Target[]} targets */
function targetTable(targets) {
  const lines = ['', '| target | measured | limit | result |', '|---|--:|--:|---|'];
  for (const t of targets)
    lines.push(`| ${t.name} | ${t.measured} | ${t.limit} | ${t.pass ? 'PASS' : 'FAIL'} |`);
  return lines;
}

/** @param {Row[]} runs */
function rounds(runs) {
  const withRounds = runs.filter((row) => (row.rounds?.length ?? 0) > 1);
  if (!withRounds.length) return [];
  const describe = (/** @type {Row} */ row) =>
    `${row.server}: ${(row.rounds ?? []).map((r) => `${fmt(r.reqPerSec, 0)} req/s p99 ${fmt(r.p99, 0)} ms (${fmt(r.otherLoadPercent, 0)} % other load)${r.reported ? ' ←' : ''}`).join(', ')}`;
  return [
    '',
    `Scenario (a), interleaved rounds (service, reference, service, ...; the median is reported): ${withRounds.map(describe).join('; ')}.`,
  ];
}

/** @param {Row[]} runs */
function perCheckout(runs) {
  const lines = ['', 'Per checkout, by kind:', ''];
  for (const row of runs) {
    const per = (/** @type {Record<string, number> | null} */ counts) =>
      Object.entries(counts ?? {})
        .map(([k, v]) => `${k} ${fmt(row.ok ? v / row.ok : NaN, 2)}`)
        .join(', ') || '—';
    const db =
      row.cpuMs.databaseMs === null
        ? ''
        : `, MariaDB ${fmt(row.cpuMs.databaseMs / row.requests, 2)}`;
    lines.push(
      `- ${scenarioLabel(row)}, ${row.server} (${row.requests} requests in ${fmt(row.elapsedS, 1)} s): Stripe ${per(row.stripeByEndpoint)}` +
        (row.sqlByKind ? `; SQL ${per(row.sqlByKind)}` : '') +
        `; CPU ms per request: server ${fmt(row.serverCpuMsPerRequest, 2)}, fake Stripe ${fmt(row.cpuMs.stripeMs / row.requests, 2)}, autocannon ${fmt(row.cpuMs.autocannonMs / row.requests, 2)}${db}`,
    );
  }
  return lines;
}

/** @param {Row[]} runs */
function statements(runs) {
  const a = runs.find((row) => row.scenario === 'a' && row.server === 'service');
  if (!a?.sqlByStatement || !a.ok) return [];
  const lines = ['', 'SQL statements per new-payable checkout, scenario (a):', ''];
  for (const [text, count] of Object.entries(a.sqlByStatement).sort((x, y) => y[1] - x[1])) {
    const short = text.replace(/\s+/g, ' ').replace(/`/g, '');
    lines.push(
      `- ${fmt(count / a.ok, 2)} × \`${short.length > 140 ? `${short.slice(0, 140)}...` : short}\``,
    );
  }
  return lines;
}

/** @param {Row[]} runs */
function failures(runs) {
  const lines = [];
  for (const row of runs) {
    for (const [status, bodies] of Object.entries(row.errorSamples)) {
      lines.push(
        `- ${scenarioLabel(row)}, ${row.server}: ${status} × ${row.statuses[status] ?? '?'}: \`${bodies[0].replace(/`/g, "'")}\``,
      );
    }
  }
  return lines.length ? ['', 'Non-2xx answers (status: count, first body):', '', ...lines] : [];
}

/** @param {ReturnType<typeof import('./profile.mjs').summarizeProfile> | null} p */
function profile(p) {
  if (!p) return [];
  const lines = [
    '',
    `CPU profile of the service (--cpu-prof, ${fmt(p.totalMs / 1000, 1)} s of samples, idle excluded), top self time:`,
    '',
  ];
  lines.push('| self ms | % | function | where |', '|--:|--:|---|---|');
  for (const e of p.entries.slice(0, 15))
    lines.push(`| ${fmt(e.selfMs, 0)} | ${fmt(e.percent, 1)} | ${e.fn} | ${e.where} |`);
  lines.push(
    '',
    'By package: ' +
      p.byPackage
        .slice(0, 12)
        .map((e) => `${e.fn} ${fmt(e.percent, 1)} %`)
        .join(', '),
  );
  return lines;
}
