import { toPaymentEvent, type PaymentEvent } from '../../src/events/payment-event.js';
import { OutboxEvent, Payable } from '../../src/index.js';
import { ReconciliationService } from '../../src/reconciliation/reconciliation.service.js';
import { rogueCheckout } from '../support/rogue-session.js';
import { sessionEvent, sign } from '../support/stripe-events.js';
import {
  SALON,
  SALON_ACCOUNT,
  salonCheckout,
  startTestApp,
  WEBHOOK_SECRET,
  type TestApp,
} from '../support/test-app.js';
import { TEST_DB } from '../support/test-database.js';

/** Issue "Close the loop": events are written in the transaction of the change they tell of. */
describe(`the event outbox (${TEST_DB})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const create = async (body = salonCheckout()) => {
    const res = await t.http
      .post('/payment/stripe/v1/checkout')
      .set('x-api-key', 'demo-api-key')
      .send(body)
      .expect(200);
    return { ref: body.InternalReferenceId as string, sessionId: res.body.SessionId as string };
  };
  const deliver = (payload: string) =>
    t.http
      .post('/payment/stripe/v1/webhook')
      .set('Content-Type', 'application/json')
      .set('Stripe-Signature', sign(payload, WEBHOOK_SECRET))
      .send(payload)
      .expect(200);
  const eventsOf = async (ref: string): Promise<PaymentEvent[]> => {
    const payable = await t.dataSource
      .getRepository(Payable)
      .findOneByOrFail({ internalReferenceId: ref });
    const rows = await t.dataSource
      .getRepository(OutboxEvent)
      .find({ where: { payableId: payable.id }, order: { sequence: 'ASC' } });
    return rows.map(toPaymentEvent);
  };
  const summary = (events: PaymentEvent[]) =>
    events.map((e) => [e.Sequence, e.Type, e.Data.SessionId, e.Data.Reason]);

  it('a payment: payable.paid once, with the amount in minor units and the payment', async () => {
    const body = salonCheckout();
    const { ref, sessionId } = await create(body);
    await t.emulator.pay(sessionId, { email: 'ada@example.com', sendWebhook: false });
    const completed = sessionEvent(
      t.emulator,
      sessionId,
      'checkout.session.completed',
      SALON_ACCOUNT,
    );
    await Promise.all([
      deliver(completed),
      deliver(completed),
      t.http
        .get('/payment/stripe/v1/checkout')
        .query({ CompanyId: SALON, InternalReferenceId: ref })
        .set('x-api-key', 'demo-api-key'),
    ]);
    const [paid, ...rest] = await eventsOf(ref);
    expect(rest).toEqual([]);
    expect(paid).toEqual({
      Id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      Type: 'payable.paid',
      CreatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      CompanyId: SALON,
      InternalReferenceId: ref,
      Sequence: 1,
      Data: {
        CheckoutId: expect.any(String),
        SessionId: sessionId,
        PaymentIntentId: expect.stringMatching(/^pi_/),
        AmountTotal: 110_000,
        Currency: 'SEK',
        CustomerEmail: 'ada@example.com',
        Reason: null,
      },
    });
  });

  it('a re-create: checkout.expired with Reason invalidated; Stripe expiring the next: timeout', async () => {
    const body = salonCheckout();
    const first = await create(body);
    const second = await create(body);
    await t.emulator.expire(second.sessionId);
    await waitFor(async () => (await eventsOf(first.ref)).length === 2);
    expect(summary(await eventsOf(first.ref))).toEqual([
      [1, 'checkout.expired', first.sessionId, 'invalidated'],
      [2, 'checkout.expired', second.sessionId, 'timeout'],
    ]);
  });

  it('a second real payment: payment.duplicate; reconciliation withdrawing an extra session: withdrawn', async () => {
    const { ref, sessionId } = await create();
    const rogue = await rogueCheckout(t, ref, 'open');
    const extra = await rogueCheckout(t, ref, 'open');
    await t.emulator.pay(sessionId, { sendWebhook: false });
    await t.emulator.pay(rogue.sessionId!, { sendWebhook: false });
    for (const paid of [sessionId, rogue.sessionId!]) {
      await deliver(sessionEvent(t.emulator, paid, 'checkout.session.completed', SALON_ACCOUNT));
    }
    await t.app.get(ReconciliationService).reconcile(new Date(Date.now() + 10 * 60_000));
    const types = summary(await eventsOf(ref)).map(([, type, session, reason]) => [
      type,
      session,
      reason,
    ]);
    expect(types).toEqual(
      expect.arrayContaining([
        ['payable.paid', sessionId, null],
        ['payment.duplicate', rogue.sessionId, null],
        ['checkout.expired', extra.sessionId, 'withdrawn'],
      ]),
    );
    expect(types).toHaveLength(3);
  });

  it('a delayed payment that fails: checkout.payment_failed', async () => {
    const { ref, sessionId } = await create();
    await t.emulator.pay(sessionId, { async: true });
    await t.emulator.settleAsyncPayment(sessionId, 'failed');
    await waitFor(async () => (await eventsOf(ref)).length === 1);
    expect(summary(await eventsOf(ref))).toEqual([[1, 'checkout.payment_failed', sessionId, null]]);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
