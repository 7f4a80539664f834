// @ts-check
/* global performance, setTimeout */
// Customers paying while the re-creates run: round the hot slots, pay the session most recently
// handed out for the slot's payable on the emulator's hosted page (its webhook goes to one
// instance), and at once try the session handed out before it, as a customer with a second tab
// would. A paid payable stays hot for `holdMs` (creates must answer AlreadyPaid, GETs the paid
// session); then every other session ever handed out for it is tried (stale tabs) and the slot
// moves to a fresh payable. Only a session that was still open can be paid: each success beyond
// the first is a real second payment, which the audits must find at the emulator.
import { payOnHostedPage } from './emulator-client.mjs';

/**
 * @param {object} p
 * @param {import('./fixtures.mjs').HotPayables} p.hot
 * @param {import('./ledger.mjs').Ledger} p.ledger
 * @param {number} p.durationMs
 * @param {number} [p.intervalMs] between two slots
 * @param {number} [p.holdMs]
 */
export async function runPayer({ hot, ledger, durationMs, intervalMs = 40, holdMs = 1_000 }) {
  const until = performance.now() + durationMs;
  for (let i = 0; performance.now() < until; i++) {
    const slot = hot.slots[i % hot.slots.length];
    if (slot.phase === 'unpaid') await payLatest(slot, ledger);
    else if (performance.now() - slot.paidAt >= holdMs) {
      await payStaleTabs(slot.key, ledger);
      hot.rotate(slot);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * After the load: the stale tabs of the payables paid last.
 * @param {import('./fixtures.mjs').HotPayables} hot
 * @param {import('./ledger.mjs').Ledger} ledger
 */
export async function payRemainingStaleTabs(hot, ledger) {
  for (const slot of hot.slots) if (slot.phase === 'paid') await payStaleTabs(slot.key, ledger);
}

/** @param {import('./fixtures.mjs').Slot} slot @param {import('./ledger.mjs').Ledger} ledger */
async function payLatest(slot, ledger) {
  const key = slot.key;
  // a copy: the traffic keeps handing out sessions while the payer waits for the hosted page
  const handedOut = [...ledger.sessionsHandedOut(key)];
  const latest = handedOut.at(-1);
  const previous = handedOut.at(-2);
  if (!latest || !(await pay(key, latest, 'first', ledger))) return;
  slot.phase = 'paid';
  slot.paidAt = performance.now();
  if (previous) await pay(key, previous, 'second tab', ledger);
}

/** @param {string} key @param {import('./ledger.mjs').Ledger} ledger */
async function payStaleTabs(key, ledger) {
  const paid = new Set((ledger.payments.get(key) ?? []).map((p) => p.sessionId));
  for (const session of [...ledger.sessionsHandedOut(key)])
    if (!paid.has(session.sessionId)) await pay(key, session, 'stale tab', ledger);
}

/**
 * @param {string} key
 * @param {import('./ledger.mjs').HandedOut} session
 * @param {import('./ledger.mjs').Payment['how']} how
 * @param {import('./ledger.mjs').Ledger} ledger
 * @returns {Promise<boolean>} paid
 */
async function pay(key, session, how, ledger) {
  try {
    const { outcome } = await payOnHostedPage(session.url);
    ledger.payAttempts[outcome]++;
    if (outcome !== 'paid') return false;
    ledger.paid(key, { sessionId: session.sessionId, confirmedAt: performance.now(), how });
    return true;
  } catch {
    ledger.payAttempts.errors++;
    return false;
  }
}
