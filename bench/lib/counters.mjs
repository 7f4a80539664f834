// @ts-check
// The counters read before and after a run: the fake Stripe's calls, the service's SQL
// statements, and the CPU time of every process that takes part.
import { cpuMsOf, machineTicks, sleep } from './machine.mjs';

/**
 * @typedef {object} Counters
 * @property {import('../../scripts/child-processes.mjs').EmulatorCounts} stripe
 * @property {import('./processes.mjs').SqlStats | null} sql
 */

/**
 * @param {import('./processes.mjs').FakeStripe} stripe
 * @param {import('./processes.mjs').Server} server
 * @returns {Promise<Counters>}
 */
export async function readCounters(stripe, server) {
  const [stripeCounts, sql] = await Promise.all([
    stripe.counts(),
    server.sqlStats ? server.sqlStats() : null,
  ]);
  return { stripe: stripeCounts, sql };
}

/**
 * Waits until the counters stop moving: the requests of the warm-up have all finished.
 * @param {() => Promise<Counters>} read
 */
export async function quiesce(read) {
  let last = '';
  for (let i = 0; i < 50; i++) {
    const now = JSON.stringify(await read());
    if (now === last) return;
    last = now;
    await sleep(200);
  }
}

/**
 * @param {Record<string, number>} [after]
 * @param {Record<string, number>} [before]
 */
export function diff(after = {}, before = {}) {
  /** @type {Record<string, number>} */
  const out = {};
  for (const [key, value] of Object.entries(after)) {
    const delta = value - (before[key] ?? 0);
    if (delta) out[key] = delta;
  }
  return out;
}

/** @param {Counters} before @param {Counters} after */
export function counterDelta(before, after) {
  const sql = after.sql && before.sql ? { after: after.sql, before: before.sql } : null;
  return {
    stripeCalls: after.stripe.v1 - before.stripe.v1,
    stripeByEndpoint: diff(after.stripe.byEndpoint, before.stripe.byEndpoint),
    sqlStatements: sql ? sql.after.sqlStatements - sql.before.sqlStatements : null,
    sqlErrors: sql ? sql.after.sqlErrors - sql.before.sqlErrors : null,
    sqlByKind: sql ? diff(sql.after.byKind, sql.before.byKind) : null,
    sqlByStatement: sql ? diff(sql.after.byStatement, sql.before.byStatement) : null,
  };
}

/**
 * CPU time of the processes of a run; the returned function gives what each used since.
 * @param {{ server: number, stripe: number, database: number[] }} pids
 */
export function cpuMeter(pids) {
  const read = () => ({
    server: cpuMsOf(pids.server),
    stripe: cpuMsOf(pids.stripe),
    database: pids.database.reduce((sum, pid) => sum + cpuMsOf(pid), 0),
    bench: process.cpuUsage(),
    machine: machineTicks(),
  });
  const start = read();
  return () => {
    const end = read();
    const bench = process.cpuUsage(start.bench);
    const cpu = {
      serverMs: end.server - start.server,
      stripeMs: end.stripe - start.stripe,
      autocannonMs: (bench.user + bench.system) / 1000,
      databaseMs: pids.database.length ? end.database - start.database : null,
    };
    const ours = cpu.serverMs + cpu.stripeMs + cpu.autocannonMs + (cpu.databaseMs ?? 0);
    const busy = end.machine.busyMs - start.machine.busyMs;
    const total = end.machine.totalMs - start.machine.totalMs;
    // CPU used meanwhile by processes that are not part of the bench (other work on the machine)
    const foreignMs = Math.max(0, busy - ours);
    return { ...cpu, foreignMs, foreignPercent: (foreignMs / total) * 100 };
  };
}
