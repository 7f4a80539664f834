import Stripe from 'stripe';
import { startStripeEmulator, type StripeEmulator } from './index.js';
import {
  hostedParams,
  startWebhookReceiver,
  stripeError,
  stripeFor,
  waitUntil,
  type WebhookReceiver,
} from './spec-helpers.js';

const SECRET = 'whsec_emulator_test_secret';

describe('stripe emulator: session lifecycle and webhooks', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;
  let receiver: WebhookReceiver;
  let nowMs = Date.now();

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    emulator = await startStripeEmulator({
      port: 0,
      webhookUrl: receiver.url,
      webhookSecret: SECRET,
      expirySweepMs: 25,
      clock: () => nowMs,
    });
    stripe = stripeFor(emulator);
  });
  beforeEach(() => {
    emulator.reset();
    receiver.received.length = 0;
    nowMs = Date.now();
  });
  afterAll(async () => {
    await emulator.close();
    await receiver.close();
  });

  const verify = (index: number): Stripe.Event => {
    const { body, signature } = receiver.received[index];
    return stripe.webhooks.constructEvent(body, signature ?? '', SECRET);
  };

  it('expires an open session and rejects expiring it again', async () => {
    const { id } = await stripe.checkout.sessions.create(hostedParams());

    const expired = await stripe.checkout.sessions.expire(id);
    expect(expired).toMatchObject({ id, status: 'expired', payment_status: 'unpaid', url: null });

    const err = await stripeError(stripe.checkout.sessions.expire(id));
    expect(err.statusCode).toBe(400);
    expect(err.message).toBe(
      'Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "expired".',
    );
    await receiver.waitFor(1);
    expect(verify(0).type).toBe('checkout.session.expired');
  });

  it('refuses to expire a completed session, naming its status', async () => {
    const { id } = await stripe.checkout.sessions.create(hostedParams());
    await emulator.pay(id, { sendWebhook: false });

    const err = await stripeError(stripe.checkout.sessions.expire(id));
    expect(err.statusCode).toBe(400);
    expect(err.type).toBe('StripeInvalidRequestError');
    expect(err.message).toContain('This Checkout Session has a status of "complete".');
  });

  it('lists newest first, filtered by status, with limit and starting_after', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++)
      ids.push((await stripe.checkout.sessions.create(hostedParams())).id);
    await emulator.expire(ids[1]);

    const open = await stripe.checkout.sessions.list({ status: 'open', limit: 2 });
    expect(open).toMatchObject({ object: 'list', url: '/v1/checkout/sessions', has_more: true });
    expect(open.data.map((s) => s.id)).toEqual([ids[3], ids[2]]);

    const next = await stripe.checkout.sessions.list({
      status: 'open',
      limit: 2,
      starting_after: ids[2],
    });
    expect(next.data.map((s) => s.id)).toEqual([ids[0]]);
    expect(next.has_more).toBe(false);

    const expired = await stripe.checkout.sessions.list({ status: 'expired' });
    expect(expired.data.map((s) => s.id)).toEqual([ids[1]]);

    const tooMany = await stripeError(stripe.checkout.sessions.list({ limit: 101 }));
    expect(tooMany.param).toBe('limit');
  });

  it('pays a connected-account session and delivers a signed checkout.session.completed', async () => {
    const { id } = await stripe.checkout.sessions.create(hostedParams(), {
      stripeAccount: 'acct_1Shop',
    });

    const paid = await emulator.pay(id, { email: 'anna@example.com' });
    expect(paid).toMatchObject({
      status: 'complete',
      payment_status: 'paid',
      account: 'acct_1Shop',
    });
    expect(paid.payment_intent).toMatch(/^pi_/);
    expect(paid.customer).toMatch(/^cus_/);
    expect(paid.customer_details).toMatchObject({ email: 'anna@example.com', name: null });

    await receiver.waitFor(1);
    const event = verify(0);
    expect(event).toMatchObject({
      type: 'checkout.session.completed',
      object: 'event',
      api_version: Stripe.API_VERSION,
      livemode: false,
      account: 'acct_1Shop',
      data: { object: { id, status: 'complete', metadata: { CompanyId: 'c0ffee' } } },
    });
    expect(event.id).toMatch(/^evt_/);
    await waitUntil(() => emulator.events[0].delivery !== 'pending');
    expect(emulator.events[0]).toMatchObject({ id: event.id, delivery: 'delivered', attempts: 1 });

    const retrieved = await stripe.checkout.sessions.retrieve(
      id,
      { expand: ['payment_intent'] },
      { stripeAccount: 'acct_1Shop' },
    );
    expect(retrieved.payment_intent).toMatchObject({
      id: paid.payment_intent,
      status: 'succeeded',
      metadata: { CompanyId: 'c0ffee' },
    });
  });

  it('can complete a session without delivering the webhook (reconciliation)', async () => {
    const { id } = await stripe.checkout.sessions.create(hostedParams());
    await emulator.pay(id, { sendWebhook: false });

    const retrieved = await stripe.checkout.sessions.retrieve(id);
    expect(retrieved.status).toBe('complete');
    expect(emulator.events).toHaveLength(1);
    expect(emulator.events[0]).toMatchObject({
      type: 'checkout.session.completed',
      delivery: 'skipped',
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(receiver.received).toHaveLength(0);
  });

  it('retries a failed webhook delivery with backoff', async () => {
    receiver.failNext(2, 503);
    const { id } = await stripe.checkout.sessions.create(hostedParams());
    await emulator.pay(id);

    await receiver.waitFor(1, 4000);
    expect(verify(0).type).toBe('checkout.session.completed');
    await waitUntil(() => emulator.events[0].delivery !== 'pending');
    expect(emulator.events[0]).toMatchObject({ delivery: 'delivered', attempts: 3 });
  });

  it('expires sessions past expires_at on the sweep and sends checkout.session.expired', async () => {
    const expiresAt = Math.floor(nowMs / 1000) + 31 * 60;
    const { id } = await stripe.checkout.sessions.create(hostedParams({ expires_at: expiresAt }));
    const other = await stripe.checkout.sessions.create(hostedParams());

    nowMs += 32 * 60 * 1000;
    await waitUntil(() => emulator.events.length === 1);

    expect((await stripe.checkout.sessions.retrieve(id)).status).toBe('expired');
    expect((await stripe.checkout.sessions.retrieve(other.id)).status).toBe('open');
    await receiver.waitFor(1);
    expect(verify(0)).toMatchObject({
      type: 'checkout.session.expired',
      data: { object: { id, status: 'expired' } },
    });
  });
});
