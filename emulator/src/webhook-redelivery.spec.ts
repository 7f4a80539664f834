import Stripe from 'stripe';
import { startStripeEmulator, type StripeEmulator } from './index.js';
import {
  hostedParams,
  startWebhookReceiver,
  stripeFor,
  waitUntil,
  type WebhookReceiver,
} from './spec-helpers.js';

const SECRET = 'whsec_emulator_redelivery_secret';
const HOUR_MS = 60 * 60 * 1000;

describe('stripe emulator: webhook redelivery (duplicated and reordered events)', () => {
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

  /** Verifies like a receiver would, with the SDK's default 300 s tolerance against real time. */
  const verified = (index: number): Stripe.Event => {
    const { body, signature } = receiver.received[index];
    return stripe.webhooks.constructEvent(body, signature ?? '', SECRET);
  };
  const newSession = async (): Promise<string> =>
    (await stripe.checkout.sessions.create(hostedParams())).id;

  it('sends a delivered event again: same id and body, freshly signed, answering the status', async () => {
    const id = await newSession();
    await emulator.pay(id);
    await receiver.waitFor(1);
    await waitUntil(() => emulator.events[0].delivery === 'delivered');

    const status = await emulator.resendEvent(emulator.events[0].id);
    expect(status).toBe(200);
    await receiver.waitFor(2);
    const [first, second] = receiver.received;
    expect(second.body).toBe(first.body);
    expect(verified(1).id).toBe(verified(0).id);
    expect(emulator.events[0]).toMatchObject({ delivery: 'delivered', attempts: 2 });
  });

  it('signs with the time of sending, so an event created long ago still verifies', async () => {
    nowMs -= HOUR_MS;
    const id = await newSession();
    await emulator.pay(id, { sendWebhook: false });
    const [event] = emulator.events;
    expect(event.event.created).toBeLessThan(Date.now() / 1000 - 3000);

    expect(await emulator.resendEvent(event.id)).toBe(200);
    await receiver.waitFor(1);
    expect(verified(0)).toMatchObject({ id: event.id, type: 'checkout.session.completed' });
  });

  it('delivers events kept undelivered later, in whatever order the test chooses', async () => {
    const paidId = await newSession();
    const expiredId = await newSession();
    await emulator.pay(paidId, { sendWebhook: false });
    await emulator.expire(expiredId, { sendWebhook: false });
    const [completed, expired] = emulator.events;
    expect([completed.delivery, expired.delivery]).toEqual(['skipped', 'skipped']);
    expect(receiver.received).toHaveLength(0);

    expect(await emulator.resendEvent(expired.id)).toBe(200);
    expect(await emulator.resendEvent(completed.id)).toBe(200);
    expect(await emulator.resendEvent(expired.id)).toBe(200);

    expect([0, 1, 2].map((i) => [verified(i).type, verified(i).id])).toEqual([
      ['checkout.session.expired', expired.id],
      ['checkout.session.completed', completed.id],
      ['checkout.session.expired', expired.id],
    ]);
    expect(emulator.events.map((e) => [e.delivery, e.attempts])).toEqual([
      ['delivered', 1],
      ['delivered', 2],
    ]);
  });

  it('answers the failing status without retrying, and marks a never-delivered event failed', async () => {
    const id = await newSession();
    await emulator.pay(id, { sendWebhook: false });
    receiver.failNext(1, 503);

    expect(await emulator.resendEvent(emulator.events[0].id)).toBe(503);
    expect(emulator.events[0]).toMatchObject({ delivery: 'failed', attempts: 1, lastStatus: 503 });
    expect(await emulator.resendEvent(emulator.events[0].id)).toBe(200);
    expect(emulator.events[0]).toMatchObject({ delivery: 'delivered', attempts: 2 });
    expect(receiver.received).toHaveLength(1);
  });

  it('rejects an unknown event, and has nowhere to send without a webhook URL', async () => {
    await expect(emulator.resendEvent('evt_nope')).rejects.toThrow(/No such event: 'evt_nope'/);

    const silent = await startStripeEmulator({ port: 0 });
    try {
      const { id } = await stripeFor(silent).checkout.sessions.create(hostedParams());
      await silent.expire(id);
      expect(silent.events[0].delivery).toBe('no_endpoint');
      await expect(silent.resendEvent(silent.events[0].id)).rejects.toThrow(/no webhookUrl/);
    } finally {
      await silent.close();
    }
  });

  it('rejects when the webhook endpoint cannot be reached', async () => {
    const gone = await startWebhookReceiver();
    const url = gone.url;
    await gone.close();
    const orphan = await startStripeEmulator({ port: 0, webhookUrl: url, webhookSecret: SECRET });
    try {
      const { id } = await stripeFor(orphan).checkout.sessions.create(hostedParams());
      await orphan.pay(id, { sendWebhook: false });

      await expect(orphan.resendEvent(orphan.events[0].id)).rejects.toThrow(/ECONNREFUSED/);
      expect(orphan.events[0]).toMatchObject({ delivery: 'failed', lastStatus: null });
    } finally {
      await orphan.close();
    }
  });
});
