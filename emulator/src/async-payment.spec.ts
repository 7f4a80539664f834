import type Stripe from 'stripe';
import { startStripeEmulator, type StripeEmulator } from './index.js';
import {
  hostedParams,
  startWebhookReceiver,
  stripeError,
  stripeFor,
  waitUntil,
  type WebhookReceiver,
} from './spec-helpers.js';

const SECRET = 'whsec_emulator_async_secret';

describe('stripe emulator: delayed (async) payment methods', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    emulator = await startStripeEmulator({
      port: 0,
      webhookUrl: receiver.url,
      webhookSecret: SECRET,
    });
    stripe = stripeFor(emulator);
  });
  beforeEach(() => {
    emulator.reset();
    receiver.received.length = 0;
  });
  afterAll(async () => {
    await emulator.close();
    await receiver.close();
  });

  const receivedEvents = (): Stripe.Event[] =>
    receiver.received.map(({ body, signature }) =>
      stripe.webhooks.constructEvent(body, signature ?? '', SECRET),
    );
  const paymentIntent = async (id: string): Promise<Stripe.PaymentIntent> => {
    const session = await stripe.checkout.sessions.retrieve(id, { expand: ['payment_intent'] });
    return session.payment_intent as Stripe.PaymentIntent;
  };
  const payAsync = async (): Promise<string> => {
    const { id } = await stripe.checkout.sessions.create(hostedParams());
    await emulator.pay(id, { async: true });
    await receiver.waitFor(1);
    return id;
  };

  it('completes the session unpaid, its payment intent processing, and sends checkout.session.completed', async () => {
    const { id } = await stripe.checkout.sessions.create(hostedParams());

    const paid = await emulator.pay(id, { async: true });
    expect(paid).toMatchObject({ status: 'complete', payment_status: 'unpaid', url: null });
    expect(paid.payment_intent).toMatch(/^pi_/);

    await receiver.waitFor(1);
    expect(receivedEvents()).toEqual([
      expect.objectContaining({
        type: 'checkout.session.completed',
        data: expect.objectContaining({
          object: expect.objectContaining({ id, status: 'complete', payment_status: 'unpaid' }),
        }),
      }),
    ]);
    expect(await paymentIntent(id)).toMatchObject({
      id: paid.payment_intent,
      status: 'processing',
      amount: 99900,
      amount_received: 0,
    });
  });

  it("'succeeded' marks it paid and sends checkout.session.async_payment_succeeded", async () => {
    const id = await payAsync();

    const settled = await emulator.settleAsyncPayment(id, 'succeeded');
    expect(settled).toMatchObject({ status: 'complete', payment_status: 'paid' });

    await receiver.waitFor(2);
    const event = receivedEvents()[1];
    expect(event.type).toBe('checkout.session.async_payment_succeeded');
    expect(event.data.object).toMatchObject({ id, payment_status: 'paid' });
    expect(await paymentIntent(id)).toMatchObject({ status: 'succeeded', amount_received: 99900 });
    expect((await stripe.checkout.sessions.retrieve(id)).payment_status).toBe('paid');
  });

  it("'failed' leaves it unpaid and sends checkout.session.async_payment_failed", async () => {
    const id = await payAsync();

    const settled = await emulator.settleAsyncPayment(id, 'failed');
    expect(settled).toMatchObject({ status: 'complete', payment_status: 'unpaid' });

    await receiver.waitFor(2);
    const event = receivedEvents()[1];
    expect(event.type).toBe('checkout.session.async_payment_failed');
    expect(event.data.object).toMatchObject({ id, status: 'complete', payment_status: 'unpaid' });
    expect(await paymentIntent(id)).toMatchObject({
      status: 'requires_payment_method',
      amount_received: 0,
    });
  });

  it('refuses to expire a session awaiting its delayed payment', async () => {
    const id = await payAsync();

    const err = await stripeError(stripe.checkout.sessions.expire(id));
    expect(err.statusCode).toBe(400);
    expect(err.message).toContain('This Checkout Session has a status of "complete".');
  });

  it('can record the settlement event without delivering it', async () => {
    const id = await payAsync();

    await emulator.settleAsyncPayment(id, 'succeeded', { sendWebhook: false });
    await waitUntil(() => emulator.events[0].delivery === 'delivered');
    expect(emulator.events.map((e) => [e.type, e.delivery])).toEqual([
      ['checkout.session.completed', 'delivered'],
      ['checkout.session.async_payment_succeeded', 'skipped'],
    ]);
    expect(receiver.received).toHaveLength(1);
  });

  it('settles only a delayed payment, once, and pays async only in payment mode', async () => {
    const id = await payAsync();
    await emulator.settleAsyncPayment(id, 'failed');
    await expect(emulator.settleAsyncPayment(id, 'succeeded')).rejects.toThrow(
      /no delayed payment to settle/,
    );

    const card = await stripe.checkout.sessions.create(hostedParams());
    await emulator.pay(card.id);
    await expect(emulator.settleAsyncPayment(card.id, 'failed')).rejects.toThrow(
      /no delayed payment/,
    );
    const open = await stripe.checkout.sessions.create(hostedParams());
    await expect(
      emulator.settleAsyncPayment(open.id, 'paid' as unknown as 'succeeded'),
    ).rejects.toThrow(/outcome/);
    await expect(emulator.settleAsyncPayment(open.id, 'succeeded')).rejects.toThrow(
      /no delayed payment/,
    );

    const setup = await stripe.checkout.sessions.create({
      mode: 'setup',
      currency: 'sek',
      success_url: 'https://shop.example/ok',
    });
    await expect(emulator.pay(setup.id, { async: true })).rejects.toThrow(/payment mode/);
    expect(emulator.sessions().find((s) => s.id === setup.id)?.status).toBe('open');
  });
});
