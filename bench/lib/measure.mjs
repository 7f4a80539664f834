// @ts-check
/* global performance */
// One scenario against one server: a warm-up, then a measured run of a fixed number of requests
// sized from the warm-up rate to last about `durationS`. A fixed amount (not a duration) means no
// request is abandoned in flight at the end, so the server-side counters divide exactly.
import { cpuMeter, counterDelta, quiesce, readCounters } from './counters.mjs';
import { runLoad, newProbe } from './load.mjs';
import { sampleRss, waitForQuiet } from './machine.mjs';

/**
 * @typedef {object} Measurement
 * @property {string} scenario
 * @property {'create' | 'get'} kind
 * @property {import('./processes.mjs').Server} server
 * @property {import('./processes.mjs').FakeStripe} stripe
 * @property {() => string} nextRef
 * @property {number[]} databasePids
 */
/** @typedef {ReturnType<typeof toRow>} Row */

/**
 * @param {Measurement} m
 * @param {import('./options.mjs').BenchOptions} options
 */
export async function measure(m, options) {
  const read = () => readCounters(m.stripe, m.server);
  const busyBefore = options.quietWaitS > 0 ? await waitForQuiet(options.quietWaitS) : null;
  const warmRate = await warmUp(m, options);
  await quiesce(read);
  const amount = Math.max(options.connections * 20, Math.round(warmRate * options.durationS));
  const before = await read();
  const probe = newProbe();
  const stopRss = sampleRss(m.server.pid);
  const stopCpu = cpuMeter({
    server: m.server.pid,
    stripe: m.stripe.pid,
    database: m.databasePids,
  });
  const startedAt = performance.now();
  const result = await runLoad({ ...loadOf(m, options), probe, amount });
  // autocannon reports the end of an `amount` run on its next 1 s tick: time to the last answer
  const elapsedS = ((probe.lastResponseAt || performance.now()) - startedAt) / 1000;
  const cpu = stopCpu();
  const rss = stopRss();
  await quiesce(read);
  const counted = counterDelta(before, await read());
  return toRow({ m, result, probe, elapsedS, cpu, rss, counted, amount, busyBefore });
}

/** @param {Measurement} m @param {import('./options.mjs').BenchOptions} options */
const loadOf = (m, options) => ({
  url: m.server.url,
  connections: options.connections,
  kind: m.kind,
  nextRef: m.nextRef,
});

/**
 * The best second of the warm-up, in requests per second: the server warms up in the first one.
 * @param {Measurement} m
 * @param {import('./options.mjs').BenchOptions} options
 */
async function warmUp(m, options) {
  if (options.warmupS === 0) return 100;
  const warm = await runLoad({
    ...loadOf(m, options),
    probe: newProbe(),
    durationS: options.warmupS,
  });
  return Math.max(warm.requests.max ?? 0, warm.requests.total / options.warmupS) || 100;
}

/** @param {Record<string, { count: number }>} stats */
function statusCounts(stats) {
  const statuses = Object.fromEntries(Object.entries(stats).map(([code, s]) => [code, s.count]));
  const sum = (/** @type {(code: number) => boolean} */ pick) =>
    Object.entries(statuses)
      .filter(([code]) => pick(Number(code)))
      .reduce((total, [, count]) => total + count, 0);
  return {
    statuses,
    ok: sum((c) => c >= 200 && c < 300),
    conflicts409: statuses['409'] ?? 0,
    otherNon2xx: sum((c) => (c < 200 || c >= 300) && c !== 409),
  };
}

/**
 * @param {object} p
 * @param {Measurement} p.m
 * @param {any} p.result autocannon's
 * @param {import('./load.mjs').Probe} p.probe
 * @param {number} p.elapsedS
 * @param {ReturnType<ReturnType<typeof cpuMeter>>} p.cpu
 * @param {ReturnType<ReturnType<typeof sampleRss>>} p.rss
 * @param {ReturnType<typeof counterDelta>} p.counted
 * @param {number} p.amount
 * @param {number | null} p.busyBefore
 */
function toRow({ m, result, probe, elapsedS, cpu, rss, counted, amount, busyBefore }) {
  const { statuses, ok, conflicts409, otherNon2xx } = statusCounts(result.statusCodeStats ?? {});
  const requests = result.requests.total;
  const per = (/** @type {number | null} */ n) => (n === null || ok === 0 ? null : n / ok);
  return {
    scenario: m.scenario,
    server: m.server.name,
    requests,
    plannedRequests: amount,
    elapsedS,
    reqPerSec: requests / elapsedS,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: result.latency.average,
    },
    ok,
    conflicts409,
    errors: otherNon2xx + result.errors + result.timeouts,
    statuses,
    errorSamples: probe.samples,
    machineBusyPercentBeforeStart: busyBefore,
    cpuMs: cpu,
    serverCpuMsPerRequest: cpu.serverMs / requests,
    startRssMb: rss.startRssKb / 1024,
    peakRssMb: rss.peakRssKb / 1024,
    ...counted,
    stripeCallsPerCheckout: per(counted.stripeCalls),
    sqlPerCheckout: per(counted.sqlStatements),
    okRefs: probe.okRefs,
  };
}
