// @ts-check
/* global performance, setTimeout */
// After the load, before anything is judged: wait (bounded) until nothing moves any more — no
// busy connection or open transaction on any database server, no lease held, no checkout
// creating, no Stripe request in flight, no webhook waiting for delivery — and the counters have
// stayed the same for three polls in a row.
import { busyWork, clientConnections, openTransactions } from './database.mjs';

/**
 * @param {import('./database.mjs').Database[]} dbs
 * @param {import('../../scripts/child-processes.mjs').CountingEmulator} emulator
 * @param {number} limitMs
 * @returns {Promise<{ settled: boolean, ms: number, last: unknown }>}
 */
export async function settle(dbs, emulator, limitMs) {
  const started = performance.now();
  let previous = '';
  let stableFor = 0;
  /** @type {unknown} */
  let last;
  while (performance.now() - started < limitMs) {
    const perNode = await Promise.all(dbs.map(nodeActivity));
    const counts = await emulator.counts();
    const quiet =
      perNode.every((n) => !n.busy && !n.transactions && !n.locked && !n.creating) &&
      !counts.inFlight &&
      !counts.webhooks.pending;
    last = { perNode, stripeInFlight: counts.inFlight, webhooks: counts.webhooks };
    const now = JSON.stringify({ last, v1: counts.v1 });
    stableFor = quiet && now === previous ? stableFor + 1 : 0;
    previous = now;
    if (stableFor >= 3) return { settled: true, ms: performance.now() - started, last };
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return { settled: false, ms: performance.now() - started, last };
}

/** @param {import('./database.mjs').Database} db */
async function nodeActivity(db) {
  const connections = await clientConnections(db);
  const transactions = await openTransactions(
    db,
    connections.map((c) => c.id),
  );
  return {
    node: db.label,
    busy: connections.filter((c) => c.command !== 'Sleep').length,
    transactions: transactions.length,
    ...(await busyWork(db)),
  };
}
