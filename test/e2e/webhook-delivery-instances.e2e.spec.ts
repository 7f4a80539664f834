import { OutboxEvent, Payable } from '../../src/index.js';
import { DeliveryStore } from '../../src/delivery/delivery-store.js';
import { SALON, salonCheckout, startTestApp, type TestApp } from '../support/test-app.js';
import { TEST_DB } from '../support/test-database.js';
import { waitUntil } from '../support/wait-until.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

/** Issue "Close the loop": every instance shares the deliveries through the database alone. */
describe(`two instances delivering from one database (${TEST_DB})`, () => {
  let first: TestApp;
  let second: TestApp;
  let receiver: WebhookReceiver;
  const secrets: string[] = [];
  const webhooks = { retryScheduleMs: [0, 100, 200, 400, 800], pollIntervalMs: 20, concurrency: 4 };

  beforeAll(async () => {
    first = await startTestApp({ module: { webhooks } });
    second = await startTestApp({ db: first.db, emulator: first.emulator, module: { webhooks } });
    const seen = new Set<string>();
    receiver = await startWebhookReceiver({
      secrets: () => secrets,
      // Slow answers, and every event's first attempt fails: plenty of chances to overlap.
      answer: ({ eventId }) => {
        if (seen.has(eventId)) return { status: 200, delayMs: 60 };
        seen.add(eventId);
        return { status: 500, delayMs: 60 };
      },
    });
    const res = await first.http
      .post('/webhook/endpoints')
      .set('x-api-key', 'demo-api-key')
      .send({ CompanyId: SALON, Url: receiver.url, EventTypes: ['payable.paid'] })
      .expect(200);
    secrets.push(res.body.Secret as string);
  });
  afterAll(async () => {
    await receiver.close();
    await second.close();
    await first.close();
  });

  it('none lost, none delivered twice at the same time, one effect each', async () => {
    const refs: string[] = [];
    for (let i = 0; i < 8; i++) {
      const app = i % 2 ? second : first;
      const body = salonCheckout();
      const res = await app.http
        .post('/payment/stripe/v1/checkout')
        .set('x-api-key', 'demo-api-key')
        .send(body)
        .expect(200);
      await first.emulator.pay(res.body.SessionId as string);
      refs.push(body.InternalReferenceId as string);
    }
    const eventIds = await waitUntil(async () => {
      const payables = await first.dataSource
        .getRepository(Payable)
        .findBy(refs.map((ref) => ({ internalReferenceId: ref })));
      const events = await first.dataSource
        .getRepository(OutboxEvent)
        .findBy(payables.map((p) => ({ payableId: p.id, type: 'payable.paid' })));
      return payables.length === refs.length && events.length === refs.length
        ? events.map((e) => e.eventId)
        : undefined;
    }, 'every payable.paid event');
    await waitUntil(
      () => eventIds.every((id) => receiver.effects.get(id) === 1),
      'every event delivered',
      30_000,
    );
    expect(receiver.maxInFlightPerEvent()).toBe(1);
    for (const id of eventIds) {
      expect(receiver.effects.get(id)).toBe(1);
      expect(receiver.requests.filter((r) => r.webhookId === id)).toHaveLength(2);
    }
    expect(receiver.requests.every((r) => r.verifiedWith.length === 1)).toBe(true);
  }, 60_000);
});

describe(`claims from two instances at once (${TEST_DB})`, () => {
  let first: TestApp;
  let second: TestApp;
  beforeAll(async () => {
    // No workers of their own: the test claims.
    const webhooks = { pollIntervalMs: 0 };
    first = await startTestApp({ module: { webhooks } });
    second = await startTestApp({ db: first.db, emulator: first.emulator, module: { webhooks } });
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  it('never hand one delivery to both', async () => {
    const ids = Array.from(
      { length: 120 },
      (_, i) => `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`,
    );
    for (const id of ids) {
      await first.dataSource.query(
        `INSERT INTO payments_event_deliveries (id, event_position, event_id, subscriber, state, attempts, next_attempt_at, created_at) VALUES (?, 1, ?, 'handler:Test.none', 'pending', 0, '2020-01-01 00:00:00.000', '2020-01-01 00:00:00.000')`,
        [id, id],
      );
    }
    const stores = [first.app.get(DeliveryStore), second.app.get(DeliveryStore)];
    const claimed: string[] = [];
    for (let round = 0; round < 12 && claimed.length < ids.length; round++) {
      const claims = await Promise.all(stores.map((store) => store.claimDue(10, 60_000)));
      claimed.push(...claims.flat().map((claim) => claim.deliveryId));
    }
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(new Set(claimed)).toEqual(new Set(ids));
  });
});
