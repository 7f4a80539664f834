import type { Checkout, CheckoutState } from '../entities/index.js';
import type { CheckoutSession } from '../stripe/stripe.gateway.js';

/** What Stripe reports of a session that decides our row. */
export type SessionFacts = Pick<
  CheckoutSession,
  'id' | 'status' | 'payment_status' | 'customer' | 'customer_details' | 'payment_intent'
>;

/** The row fields a session can change. */
export type CheckoutChanges = Partial<
  Pick<
    Checkout,
    | 'state'
    | 'paymentStatus'
    | 'stripeSessionId'
    | 'customerId'
    | 'customerEmail'
    | 'paymentIntentId'
  >
>;

const PAID_STATUSES = new Set(['paid', 'no_payment_required']);

export function isPaidStatus(paymentStatus: string | null | undefined): boolean {
  return paymentStatus != null && PAID_STATUSES.has(paymentStatus);
}

/** A session the customer has paid for (or that needed no payment): money was taken. */
export function isPaid(session: Pick<CheckoutSession, 'status' | 'payment_status'>): boolean {
  return session.status === 'complete' && isPaidStatus(session.payment_status);
}

/**
 * The state a row moves to when Stripe reports the session so. States only move forward: a
 * complete or failed checkout never turns back, whatever late or reordered event arrives; Stripe's
 * word that a session is complete always wins, because money was taken.
 */
export function nextState(
  current: CheckoutState,
  session: Pick<CheckoutSession, 'status' | 'payment_status'>,
): CheckoutState {
  if (session.status === 'complete') {
    return current === 'failed' && !isPaidStatus(session.payment_status) ? 'failed' : 'complete';
  }
  if (current === 'complete' || current === 'failed') return current;
  return session.status === 'expired' ? 'expired' : 'open';
}

/** What the session would change in the row; a paid checkout's state and payment stay as they are. */
export function sessionChanges(
  checkout: Pick<Checkout, keyof CheckoutChanges>,
  session: SessionFacts,
): CheckoutChanges {
  const wanted: CheckoutChanges = {
    stripeSessionId: checkout.stripeSessionId ?? session.id,
    customerId: stringId(session.customer) ?? checkout.customerId,
    customerEmail: session.customer_details?.email ?? checkout.customerEmail,
    paymentIntentId: stringId(session.payment_intent) ?? checkout.paymentIntentId,
  };
  if (!isPaidStatus(checkout.paymentStatus)) {
    wanted.paymentStatus = session.payment_status;
    wanted.state = nextState(checkout.state, session);
  }
  return Object.fromEntries(
    Object.entries(wanted).filter(
      ([key, value]) => checkout[key as keyof CheckoutChanges] !== value,
    ),
  ) as CheckoutChanges;
}

/** The changes turn an unpaid row into a paid one: the payable's payment to record. */
export function becomesPaid(checkout: Pick<Checkout, 'paymentStatus'>, changes: CheckoutChanges) {
  return !isPaidStatus(checkout.paymentStatus) && isPaidStatus(changes.paymentStatus);
}

function stringId(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === 'string' ? value : value.id;
}
