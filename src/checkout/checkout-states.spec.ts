import type { Checkout, CheckoutState } from '../entities/index.js';
import {
  becomesPaid,
  isPaid,
  nextState,
  sessionChanges,
  type SessionFacts,
} from './checkout-states.js';

type Row = Pick<
  Checkout,
  'state' | 'paymentStatus' | 'stripeSessionId' | 'customerId' | 'customerEmail' | 'paymentIntentId'
>;

const row = (overrides: Partial<Row> = {}): Row => ({
  state: 'open',
  paymentStatus: 'unpaid',
  stripeSessionId: 'cs_1',
  customerId: null,
  customerEmail: null,
  paymentIntentId: null,
  ...overrides,
});

const session = (overrides: Partial<SessionFacts> = {}): SessionFacts => ({
  id: 'cs_1',
  status: 'open',
  payment_status: 'unpaid',
  customer: null,
  customer_details: null,
  payment_intent: null,
  ...overrides,
});

const paid = session({
  status: 'complete',
  payment_status: 'paid',
  customer: 'cus_1',
  customer_details: { email: 'ada@example.com' } as SessionFacts['customer_details'],
  payment_intent: 'pi_1',
});

describe('nextState', () => {
  const cases: [CheckoutState, SessionFacts['status'], string, CheckoutState][] = [
    ['creating', 'open', 'unpaid', 'open'],
    ['creating', 'expired', 'unpaid', 'expired'],
    ['creating', 'complete', 'paid', 'complete'],
    ['open', 'open', 'unpaid', 'open'],
    ['open', 'expired', 'unpaid', 'expired'],
    ['open', 'complete', 'paid', 'complete'],
    ['open', 'complete', 'unpaid', 'complete'],
    // never backwards
    ['complete', 'expired', 'unpaid', 'complete'],
    ['complete', 'open', 'unpaid', 'complete'],
    ['failed', 'expired', 'unpaid', 'failed'],
    ['failed', 'open', 'unpaid', 'failed'],
    // a failed delayed payment stays failed; money taken always wins
    ['failed', 'complete', 'unpaid', 'failed'],
    ['failed', 'complete', 'paid', 'complete'],
    ['expired', 'complete', 'paid', 'complete'],
    ['expired', 'expired', 'unpaid', 'expired'],
  ];
  it.each(cases)('%s + Stripe %s/%s → %s', (current, status, paymentStatus, expected) => {
    expect(
      nextState(current, {
        status,
        payment_status: paymentStatus as SessionFacts['payment_status'],
      }),
    ).toBe(expected);
  });
});

describe('sessionChanges', () => {
  it('finds nothing to change when the row already says what Stripe says', () => {
    expect(sessionChanges(row(), session())).toEqual({});
  });

  it('records a payment with its customer and payment intent', () => {
    expect(sessionChanges(row(), paid)).toEqual({
      state: 'complete',
      paymentStatus: 'paid',
      customerId: 'cus_1',
      customerEmail: 'ada@example.com',
      paymentIntentId: 'pi_1',
    });
  });

  it('never overwrites a paid row, whatever a late event says', () => {
    const paidRow = row({ state: 'complete', paymentStatus: 'paid', paymentIntentId: 'pi_1' });
    expect(sessionChanges(paidRow, session({ status: 'expired' }))).toEqual({});
    expect(sessionChanges(paidRow, session({ status: 'open', payment_status: 'unpaid' }))).toEqual(
      {},
    );
  });

  it('keeps what is known when Stripe reports less', () => {
    const known = row({ customerEmail: 'ada@example.com', paymentIntentId: 'pi_1' });
    expect(sessionChanges(known, session())).toEqual({});
  });

  it('links the session id of a row that lost it, and opens it', () => {
    expect(sessionChanges(row({ state: 'creating', stripeSessionId: null }), session())).toEqual({
      state: 'open',
      stripeSessionId: 'cs_1',
    });
  });

  it('keeps the session id a row has', () => {
    expect(sessionChanges(row(), session({ id: 'cs_other' }))).toEqual({});
  });

  it('expands a customer object to its id', () => {
    const expanded = session({ customer: { id: 'cus_2' } as SessionFacts['customer'] });
    expect(sessionChanges(row(), expanded)).toEqual({ customerId: 'cus_2' });
  });
});

describe('isPaid and becomesPaid', () => {
  it('a complete session with paid or no_payment_required is paid', () => {
    expect(isPaid(paid)).toBe(true);
    expect(isPaid(session({ status: 'complete', payment_status: 'no_payment_required' }))).toBe(
      true,
    );
    expect(isPaid(session({ status: 'complete', payment_status: 'unpaid' }))).toBe(false);
    expect(isPaid(session({ status: 'open', payment_status: 'paid' }))).toBe(false);
  });

  it('only the first move to paid records a payment', () => {
    expect(becomesPaid(row(), { paymentStatus: 'paid' })).toBe(true);
    expect(becomesPaid(row({ paymentStatus: 'paid' }), { paymentStatus: 'paid' })).toBe(false);
    expect(becomesPaid(row(), { customerEmail: 'x' })).toBe(false);
  });
});
