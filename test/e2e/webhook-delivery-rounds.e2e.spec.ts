import { DeliveryWorker, OutboxEvent } from '../../src/index.js';
import { paidPayableEvent } from '../support/paid-event.js';
import { SALON, startTestApp, type TestApp } from '../support/test-app.js';
import { TEST_DB } from '../support/test-database.js';
import { waitUntil } from '../support/wait-until.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const KEY = 'demo-api-key';

/** Delivery rounds driven by hand (no timer): what a round does when the order of things varies. */
describe(`event delivery rounds (${TEST_DB})`, () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let endpointId: string;
  beforeAll(async () => {
    t = await startTestApp({
      module: { webhooks: { retryScheduleMs: [0, 200], timeoutMs: 1000, pollIntervalMs: 0 } },
    });
    const secrets: string[] = [];
    receiver = await startWebhookReceiver({
      secrets: () => secrets,
      answer: () => ({ status: 200 }),
    });
    const res = await t.http
      .post('/webhook/endpoints')
      .set('x-api-key', KEY)
      .send({ CompanyId: SALON, Url: `${receiver.url}/hook`, EventTypes: ['payable.paid'] })
      .expect(200);
    endpointId = res.body.Id as string;
    secrets.push(res.body.Secret as string);
  });
  afterAll(async () => {
    await receiver.close();
    await t.close();
  });

  /** A paid payable's `payable.paid` event, not planned yet (no delivery round has run). */
  const paidEvent = () => paidPayableEvent(t, KEY);
  const round = () => t.app.get(DeliveryWorker).tick();
  const effectsOf = (eventId: string) => receiver.effects.get(eventId) ?? 0;

  it('a resend before the event is planned: planned once, delivered, and later events still flow', async () => {
    const early = await paidEvent();
    expect(early.fannedOut).toBe(false);
    await t.http
      .post(`/webhook/endpoints/${endpointId}/resend`)
      .set('x-api-key', KEY)
      .send({ CompanyId: SALON, EventId: early.eventId })
      .expect(200);
    const later = await paidEvent();

    await waitUntil(async () => {
      await round();
      return effectsOf(early.eventId) > 0 && effectsOf(later.eventId) > 0;
    }, 'both events delivered');
    const [{ count }] = await t.dataSource.query(
      `SELECT COUNT(*) AS count FROM payments_event_deliveries WHERE event_id = ?`,
      [early.eventId],
    );
    expect(Number(count)).toBe(1);
    expect(
      (await t.dataSource.getRepository(OutboxEvent).findOneByOrFail({ eventId: early.eventId }))
        .fannedOut,
    ).toBe(true);
  });

  it('a delivery whose event was pruned ends as failed, and sends nothing', async () => {
    const event = await paidEvent();
    await round();
    await waitUntil(() => effectsOf(event.eventId) > 0, 'the first delivery');
    const before = receiver.requests.length;
    await t.http
      .post(`/webhook/endpoints/${endpointId}/resend`)
      .set('x-api-key', KEY)
      .send({ CompanyId: SALON, EventId: event.eventId })
      .expect(200);
    await t.dataSource.getRepository(OutboxEvent).delete({ eventId: event.eventId });
    const state = await waitUntil(async () => {
      await round();
      const [row] = await t.dataSource.query(
        `SELECT state FROM payments_event_deliveries WHERE event_id = ?`,
        [event.eventId],
      );
      return row?.state === 'failed' ? row.state : undefined;
    }, 'the delivery ended');
    expect(state).toBe('failed');
    expect(receiver.requests.length).toBe(before);
  });
});
