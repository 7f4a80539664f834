import { Checkout, Payable, StripeEvent } from '../../src/index.js';
import { sessionEvent, sign } from '../support/stripe-events.js';
import {
  CLINIC_ACCOUNT,
  SALON_ACCOUNT,
  salonCheckout,
  startTestApp,
  WEBHOOK_SECRET,
  type TestApp,
} from '../support/test-app.js';
import { TEST_DB } from '../support/test-database.js';

describe(`POST /payment/stripe/v1/webhook (${TEST_DB})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const create = async (overrides: Record<string, unknown> = {}) => {
    const body = salonCheckout(overrides);
    const res = await t.http
      .post('/payment/stripe/v1/checkout')
      .set('x-api-key', 'demo-api-key')
      .send(body)
      .expect(200);
    return { ref: body.InternalReferenceId as string, sessionId: res.body.SessionId as string };
  };
  const deliver = (payload: string, signature = sign(payload, WEBHOOK_SECRET)) =>
    t.http
      .post('/payment/stripe/v1/webhook')
      .set('Content-Type', 'application/json')
      .set('Stripe-Signature', signature)
      .send(payload);
  const checkoutOf = (sessionId: string) =>
    t.dataSource.getRepository(Checkout).findOneByOrFail({ stripeSessionId: sessionId });
  const payableOf = (ref: string) =>
    t.dataSource.getRepository(Payable).findOneByOrFail({ internalReferenceId: ref });
  const eventCount = () => t.dataSource.getRepository(StripeEvent).count();

  it('checkout.session.completed marks the checkout complete and the payable paid', async () => {
    const { ref, sessionId } = await create();
    await t.emulator.pay(sessionId, { email: 'ada@example.com', sendWebhook: false });
    const res = await deliver(
      sessionEvent(t.emulator, sessionId, 'checkout.session.completed', SALON_ACCOUNT),
    ).expect(200);
    expect(res.body).toEqual({ received: true, outcome: 'processed' });
    expect(await checkoutOf(sessionId)).toMatchObject({
      state: 'complete',
      paymentStatus: 'paid',
      customerEmail: 'ada@example.com',
      paymentIntentId: expect.stringMatching(/^pi_/),
      customerId: expect.stringMatching(/^cus_/),
    });
    expect((await payableOf(ref)).paidAt).not.toBeNull();
  });

  it('the same event twice, and 20 at once, has one effect', async () => {
    const { sessionId } = await create();
    await t.emulator.pay(sessionId, { sendWebhook: false });
    const payload = sessionEvent(
      t.emulator,
      sessionId,
      'checkout.session.completed',
      SALON_ACCOUNT,
    );
    const before = await eventCount();
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => deliver(payload)));
    expect(outcomes.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(outcomes.filter((r) => r.body.outcome === 'processed')).toHaveLength(1);
    expect((await deliver(payload).expect(200)).body.outcome).toBe('duplicate');
    expect(await eventCount()).toBe(before + 1);
  });

  it.each([
    ['a bad signature', (p: string) => ({ body: p, header: sign(p, 'whsec_wrong') })],
    [
      'a re-serialized body',
      (p: string) => ({
        body: JSON.stringify(JSON.parse(p), null, 2),
        header: sign(p, WEBHOOK_SECRET),
      }),
    ],
    [
      'an old timestamp',
      (p: string) => ({
        body: p,
        header: sign(p, WEBHOOK_SECRET, Math.floor(Date.now() / 1000) - 3600),
      }),
    ],
    ['no signature', (p: string) => ({ body: p, header: '' })],
  ])('%s → 400 and nothing changes', async (_name, tamper) => {
    const { sessionId } = await create();
    await t.emulator.pay(sessionId, { sendWebhook: false });
    const { body, header } = tamper(
      sessionEvent(t.emulator, sessionId, 'checkout.session.completed', SALON_ACCOUNT),
    );
    const before = await eventCount();
    const res = await deliver(body, header).expect(400);
    expect(res.body.ResponseStatus.ErrorCode).toBe('InvalidSignature');
    expect(await eventCount()).toBe(before);
    expect((await checkoutOf(sessionId)).state).toBe('open');
  });

  it('a signed event whose payload differs from the session at Stripe changes nothing', async () => {
    const { ref, sessionId } = await create();
    const honest = JSON.parse(
      sessionEvent(t.emulator, sessionId, 'checkout.session.completed', SALON_ACCOUNT),
    ) as { data: { object: Record<string, unknown> } };
    Object.assign(honest.data.object, {
      status: 'complete',
      payment_status: 'paid',
      payment_intent: 'pi_forged',
    });
    const res = await deliver(JSON.stringify(honest)).expect(200);
    expect(res.body.outcome).toBe('processed');
    expect(await checkoutOf(sessionId)).toMatchObject({
      state: 'open',
      paymentStatus: 'unpaid',
      paymentIntentId: null,
    });
    expect((await payableOf(ref)).paidAt).toBeNull();
  });

  it('a delayed payment: pending blocks a re-create, its failure frees the payable', async () => {
    const { ref, sessionId } = await create();
    await t.emulator.pay(sessionId, { async: true });
    await waitFor(async () => (await checkoutOf(sessionId)).state === 'complete');
    expect(await checkoutOf(sessionId)).toMatchObject({ paymentStatus: 'unpaid' });
    const pending = await t.http
      .post('/payment/stripe/v1/checkout')
      .set('x-api-key', 'demo-api-key')
      .send(salonCheckout({ InternalReferenceId: ref }))
      .expect(409);
    expect(pending.body.ResponseStatus.ErrorCode).toBe('PaymentPending');

    await t.emulator.settleAsyncPayment(sessionId, 'failed');
    await waitFor(async () => (await checkoutOf(sessionId)).state === 'failed');
    expect((await payableOf(ref)).paidAt).toBeNull();
    const retry = await create({ InternalReferenceId: ref });
    expect(retry.sessionId).not.toBe(sessionId);
  });

  it('a delayed payment that succeeds pays the payable', async () => {
    const { ref, sessionId } = await create();
    await t.emulator.pay(sessionId, { async: true });
    await waitFor(async () => (await checkoutOf(sessionId)).state === 'complete');
    await t.emulator.settleAsyncPayment(sessionId, 'succeeded');
    await waitFor(async () => (await checkoutOf(sessionId)).paymentStatus === 'paid');
    expect((await payableOf(ref)).paidCheckoutId).toBe((await checkoutOf(sessionId)).id);
  });

  it('ignores an event from a foreign account', async () => {
    const { sessionId } = await create();
    await t.emulator.pay(sessionId, { sendWebhook: false });
    const res = await deliver(
      sessionEvent(t.emulator, sessionId, 'checkout.session.completed', CLINIC_ACCOUNT),
    ).expect(200);
    expect(res.body.outcome).toBe('ignored');
    expect((await checkoutOf(sessionId)).state).toBe('open');
  });

  it('acknowledges an event for a session we do not know', async () => {
    const payload = JSON.stringify({
      id: `evt_unknown_${Date.now()}`,
      object: 'event',
      type: 'checkout.session.completed',
      data: { object: { id: 'cs_test_not_ours', object: 'checkout.session' } },
    });
    expect((await deliver(payload).expect(200)).body.outcome).toBe('unknown-session');
  });

  it('a late expired event never turns a paid checkout back', async () => {
    const { ref, sessionId } = await create();
    const expiredBeforePaying = sessionEvent(
      t.emulator,
      sessionId,
      'checkout.session.expired',
      SALON_ACCOUNT,
    );
    await t.emulator.pay(sessionId, { sendWebhook: false });
    await deliver(
      sessionEvent(t.emulator, sessionId, 'checkout.session.completed', SALON_ACCOUNT),
    ).expect(200);
    await deliver(expiredBeforePaying).expect(200);
    expect(await checkoutOf(sessionId)).toMatchObject({ state: 'complete', paymentStatus: 'paid' });
    expect((await payableOf(ref)).paidAt).not.toBeNull();
  });

  it('the emulator delivers its own signed events: expire → expired', async () => {
    const { sessionId } = await create();
    await t.emulator.expire(sessionId);
    await waitFor(async () => (await checkoutOf(sessionId)).state === 'expired');
  });

  it('a payment on an invalidated session still pays the payable and expires the newer session', async () => {
    const first = await create();
    // The database believes the first session is gone while Stripe still has it open.
    await t.dataSource
      .getRepository(Checkout)
      .update({ stripeSessionId: first.sessionId }, { state: 'expired' });
    const second = await create({ InternalReferenceId: first.ref });
    await t.emulator.pay(first.sessionId, { sendWebhook: false });
    await deliver(
      sessionEvent(t.emulator, first.sessionId, 'checkout.session.completed', SALON_ACCOUNT),
    ).expect(200);
    expect((await payableOf(first.ref)).paidCheckoutId).toBe(
      (await checkoutOf(first.sessionId)).id,
    );
    expect((await checkoutOf(second.sessionId)).state).toBe('expired');
    expect(t.emulator.sessions(SALON_ACCOUNT).find((s) => s.id === second.sessionId)?.status).toBe(
      'expired',
    );
  });

  it('a second payment of a paid payable is flagged for refund', async () => {
    const first = await create();
    await t.dataSource
      .getRepository(Checkout)
      .update({ stripeSessionId: first.sessionId }, { state: 'expired' });
    const second = await create({ InternalReferenceId: first.ref });
    await t.emulator.pay(second.sessionId, { sendWebhook: false });
    await deliver(
      sessionEvent(t.emulator, second.sessionId, 'checkout.session.completed', SALON_ACCOUNT),
    ).expect(200);
    await t.emulator.pay(first.sessionId, { sendWebhook: false });
    await deliver(
      sessionEvent(t.emulator, first.sessionId, 'checkout.session.completed', SALON_ACCOUNT),
    ).expect(200);
    expect((await payableOf(first.ref)).paidCheckoutId).toBe(
      (await checkoutOf(second.sessionId)).id,
    );
    expect(await checkoutOf(first.sessionId)).toMatchObject({
      paymentStatus: 'paid',
      refundRequired: true,
    });
    expect((await checkoutOf(second.sessionId)).refundRequired).toBe(false);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
