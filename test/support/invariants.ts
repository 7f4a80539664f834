import type { DataSource } from 'typeorm';
import type { EmulatedSession, StripeEmulator } from '../../emulator/src/index.js';
import { Checkout, Payable, OutboxEvent } from '../../src/index.js';

const PAID = new Set(['paid', 'no_payment_required']);
const paidAtStripe = (session: EmulatedSession | undefined) =>
  session?.status === 'complete' && PAID.has(session.payment_status);

/** Stripe's sessions of a payable (its InternalReferenceId is the client_reference_id). */
export function sessionsOfPayable(emulator: StripeEmulator, reference: string): EmulatedSession[] {
  return emulator.sessions().filter((s) => s.client_reference_id === reference);
}

/**
 * What must hold for a payable at every instant, at Stripe alone: at most one session that can
 * still be paid, and none once the payable is paid.
 */
export function stripeViolations(emulator: StripeEmulator, reference: string): string[] {
  const sessions = sessionsOfPayable(emulator, reference);
  const open = sessions.filter((s) => s.status === 'open').map((s) => s.id);
  const violations: string[] = [];
  if (open.length > 1)
    violations.push(`${reference}: ${open.length} open sessions ${open.join(', ')}`);
  if (open.length > 0 && sessions.some(paidAtStripe)) {
    violations.push(`${reference}: paid, yet session ${open.join(', ')} is still open`);
  }
  return violations;
}

/**
 * What must hold once a payable is settled (after a reconciliation): Stripe's invariant, every
 * session known to the database, every row agreeing with Stripe, the payment recorded, a flag only
 * on a real second payment, and no lease left held.
 */
export async function settledViolations(
  dataSource: DataSource,
  emulator: StripeEmulator,
  companyId: string,
  reference: string,
): Promise<string[]> {
  const violations = stripeViolations(emulator, reference);
  const payable = await dataSource
    .getRepository(Payable)
    .findOneBy({ companyId, internalReferenceId: reference });
  const sessions = sessionsOfPayable(emulator, reference);
  if (!payable) {
    if (sessions.length > 0) violations.push(`${reference}: sessions at Stripe, no payable`);
    return violations;
  }
  const rows = await dataSource.getRepository(Checkout).findBy({ payableId: payable.id });
  const known = new Map(rows.map((row) => [row.stripeSessionId, row]));
  for (const session of sessions) {
    const row = known.get(session.id);
    if (!row) violations.push(`${reference}: session ${session.id} unknown to the database`);
    else if (!agrees(row, session)) {
      violations.push(
        `${reference}: row ${row.id} is ${row.state}/${row.paymentStatus}, Stripe ${session.status}/${session.payment_status}`,
      );
    }
  }
  for (const row of rows) {
    if (row.state === 'creating') violations.push(`${reference}: row ${row.id} left creating`);
    if (!row.stripeSessionId && row.state !== 'failed' && row.state !== 'expired') {
      violations.push(`${reference}: row ${row.id} is ${row.state} without a session`);
    }
  }
  const paid = sessions.filter(paidAtStripe);
  const payer = rows.find((row) => row.id === payable.paidCheckoutId);
  if (paid.length > 0 && !payer) violations.push(`${reference}: paid at Stripe, not recorded`);
  if (payer && !paid.some((s) => s.id === payer.stripeSessionId)) {
    violations.push(`${reference}: recorded payer ${payer.id} is not paid at Stripe`);
  }
  for (const row of rows.filter((r) => r.refundRequired)) {
    if (paid.length < 2) violations.push(`${reference}: false refund flag on ${row.id}`);
  }
  if (payable.lockToken !== null && payable.lockedUntil && payable.lockedUntil > new Date()) {
    violations.push(`${reference}: lease still held`);
  }
  const events = await dataSource.getRepository(OutboxEvent).findBy({ payableId: payable.id });
  return [...violations, ...eventViolations(reference, rows, events, payable)];
}

/**
 * The outbox agrees with the rows: every change its one event, no event without its change (the
 * transactional outbox, across crashes too), and a payable's sequence 1..n without gaps.
 */
function eventViolations(
  reference: string,
  rows: Checkout[],
  events: OutboxEvent[],
  payable: Payable,
): string[] {
  const violations: string[] = [];
  const count = (type: string, checkoutId: string) =>
    events.filter((e) => e.type === type && JSON.parse(e.data).CheckoutId === checkoutId).length;
  const expect = (type: string, checkoutId: string, wanted: number) => {
    const n = count(type, checkoutId);
    if (n !== wanted)
      violations.push(`${reference}: ${n} ${type} events for ${checkoutId}, not ${wanted}`);
  };
  for (const row of rows) {
    const paid = PAID.has(row.paymentStatus ?? '');
    expect('payable.paid', row.id, paid && row.id === payable.paidCheckoutId ? 1 : 0);
    expect('payment.duplicate', row.id, paid && row.refundRequired ? 1 : 0);
    expect('checkout.expired', row.id, row.state === 'expired' && row.stripeSessionId ? 1 : 0);
    expect(
      'checkout.payment_failed',
      row.id,
      row.state === 'failed' && row.paymentStatus === 'unpaid' && row.stripeSessionId ? 1 : 0,
    );
  }
  const sequences = events.map((e) => e.sequence).sort((a, b) => a - b);
  if (sequences.some((n, i) => n !== i + 1) || payable.eventSequence !== sequences.length) {
    violations.push(
      `${reference}: event sequence ${sequences.join(',')} (payable at ${payable.eventSequence})`,
    );
  }
  return violations;
}

function agrees(row: Checkout, session: EmulatedSession): boolean {
  if (session.status === 'open') return row.state === 'open';
  if (session.status === 'expired') return row.state === 'expired';
  const paid = PAID.has(session.payment_status);
  return paid
    ? row.state === 'complete' && row.paymentStatus === session.payment_status
    : row.state === 'complete' || row.state === 'failed';
}
