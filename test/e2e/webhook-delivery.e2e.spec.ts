import { Checkout, OutboxEvent, WebhookEndpointRecord } from '../../src/index.js';
import { SALON, salonCheckout, startTestApp, type TestApp } from '../support/test-app.js';
import { paidPayableEvent } from '../support/paid-event.js';
import { TEST_DB } from '../support/test-database.js';
import { waitUntil } from '../support/wait-until.js';
import {
  startWebhookReceiver,
  type Answer,
  type WebhookReceiver,
} from '../support/webhook-receiver.js';

const SCHEDULE = [0, 300, 600, 900, 1200];
const KEY = 'demo-api-key';

/** Issue "Close the loop": events reach a real receiver over HTTP, signed, retried, logged. */
describe(`webhook delivery to a receiver on loopback (${TEST_DB})`, () => {
  let t: TestApp;
  let receiver: WebhookReceiver | undefined;
  beforeAll(async () => {
    t = await startTestApp({
      module: { webhooks: { retryScheduleMs: SCHEDULE, timeoutMs: 1000, pollIntervalMs: 50 } },
    });
  });
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
    await t.dataSource.getRepository(WebhookEndpointRecord).clear();
  });
  afterAll(() => t.close());

  /** An endpoint for the salon, and a receiver behind it that knows its secret(s). */
  async function endpoint(answer: (n: number, path: string) => Answer, eventTypes = ['*']) {
    const secrets: string[] = [];
    receiver = await startWebhookReceiver({
      secrets: () => secrets,
      answer: ({ n, path }) => answer(n, path),
    });
    const res = await t.http
      .post('/webhook/endpoints')
      .set('x-api-key', KEY)
      .send({ CompanyId: SALON, Url: `${receiver.url}/hook`, EventTypes: eventTypes })
      .expect(200);
    secrets.push(res.body.Secret as string);
    return { id: res.body.Id as string, secrets, receiver };
  }

  /** A payable paid at the emulator; resolves with its `payable.paid` event's Id. */
  async function paidPayable(): Promise<{ ref: string; eventId: string }> {
    const event = await paidPayableEvent(t, KEY);
    return { ref: event.internalReferenceId, eventId: event.eventId };
  }

  /** The service has recorded the outcome (the receiver answering is not enough to read the log). */
  const delivered = (eventId: string, endpointId: string) =>
    waitUntil(async () => {
      const [row] = await t.dataSource.query(
        `SELECT state FROM payments_event_deliveries WHERE event_id = ? AND subscriber = ?`,
        [eventId, endpointId],
      );
      return row?.state === 'delivered';
    }, 'the delivery recorded');

  const attemptsOf = async (id: string) =>
    (
      await t.http
        .get(`/webhook/endpoints/${id}/attempts`)
        .query({ CompanyId: SALON })
        .set('x-api-key', KEY)
        .expect(200)
    ).body.Results as {
      AttemptedAt: string;
      EventId: string;
      EventType: string;
      StatusCode: number | null;
      LatencyMs: number;
      ResponseBody: string | null;
      Error: string | null;
    }[];

  it('a 500, a timeout and a reset, then a 2xx: one effect, every attempt logged, on schedule', async () => {
    const answers: Answer[] = [
      { status: 500, body: 'boom' },
      'timeout',
      'reset',
      { status: 200, body: 'thanks' },
    ];
    const { id, receiver } = await endpoint((n) => answers[n - 1] ?? { status: 200 });
    const { ref, eventId } = await paidPayable();
    await waitUntil(() => receiver.effects.get(eventId) === 1, 'the successful delivery');
    await delivered(eventId, id);
    const mine = receiver.requests.filter((r) => r.webhookId === eventId);
    expect(mine).toHaveLength(4);
    for (const request of mine) {
      expect(request.verifiedWith).toHaveLength(1);
      expect(request.event).toMatchObject({
        Id: eventId,
        Type: 'payable.paid',
        InternalReferenceId: ref,
        CompanyId: SALON,
      });
      expect(request.event!.Data.AmountTotal).toBeGreaterThan(0);
    }
    const attempts = (await attemptsOf(id)).filter((a) => a.EventId === eventId).reverse();
    expect(attempts.map((a) => a.StatusCode)).toEqual([500, null, null, 200]);
    expect(attempts.map((a) => a.ResponseBody)).toEqual(['boom', null, null, 'thanks']);
    expect(attempts[1].Error).toBe('timed out');
    expect(attempts[2].Error).toEqual(expect.any(String));
    expect(attempts.every((a) => a.EventType === 'payable.paid' && a.LatencyMs >= 0)).toBe(true);
    expect(attempts[1].LatencyMs).toBeGreaterThanOrEqual(1000);
    // Each retry waited at least its scheduled delay after the attempt before it ended.
    for (let k = 1; k < attempts.length; k++) {
      const previous = attempts[k - 1];
      const gap =
        Date.parse(attempts[k].AttemptedAt) - Date.parse(previous.AttemptedAt) - previous.LatencyMs;
      expect(gap).toBeGreaterThanOrEqual(SCHEDULE[k] - 2);
    }
    // Delivered once: nothing more arrives for it, and the delivery row says so.
    const [delivery] = await t.dataSource.query(
      `SELECT state, attempts, last_status FROM payments_event_deliveries WHERE event_id = ? AND subscriber = ?`,
      [eventId, id],
    );
    expect(delivery).toEqual({ state: 'delivered', attempts: 4, last_status: 200 });
  });

  it('the booking flow: paid with its amount; re-created, then timed out: expired with the reasons, in order', async () => {
    const { receiver } = await endpoint(() => ({ status: 200 }));
    const body = salonCheckout();
    const create = async () =>
      (
        await t.http
          .post('/payment/stripe/v1/checkout')
          .set('x-api-key', KEY)
          .send(body)
          .expect(200)
      ).body.SessionId as string;
    const first = await create();
    const second = await create();
    await t.emulator.expire(second);
    await waitUntil(() => receiver.effects.size === 2, 'both expiries');
    const third = await create();
    await t.emulator.pay(third);
    await waitUntil(() => receiver.effects.size === 3, 'three events');
    const events = receiver.requests.map((r) => r.event!).sort((a, b) => a.Sequence - b.Sequence);
    expect(events.map((e) => [e.Sequence, e.Type, e.Data.SessionId, e.Data.Reason])).toEqual([
      [1, 'checkout.expired', first, 'invalidated'],
      [2, 'checkout.expired', second, 'timeout'],
      [3, 'payable.paid', third, null],
    ]);
    const paid = await t.dataSource
      .getRepository(Checkout)
      .findOneByOrFail({ stripeSessionId: third });
    expect(events[2].Data).toMatchObject({ AmountTotal: paid.amountTotal, Currency: 'SEK' });
    expect(paid.amountTotal).toBeGreaterThan(0);
  });

  it('gives up when the schedule is spent', async () => {
    const { id, receiver } = await endpoint(() => ({ status: 503 }));
    const { eventId } = await paidPayable();
    await waitUntil(async () => {
      const [row] = await t.dataSource.query(
        `SELECT state FROM payments_event_deliveries WHERE event_id = ? AND subscriber = ?`,
        [eventId, id],
      );
      return row?.state === 'failed';
    }, 'the delivery given up');
    expect(receiver.requests.filter((r) => r.webhookId === eventId)).toHaveLength(SCHEDULE.length);
  });

  it('a 410 disables the endpoint: no more attempts', async () => {
    const { id, receiver } = await endpoint(() => ({ status: 410 }));
    const { eventId } = await paidPayable();
    const disabled = await waitUntil(async () => {
      const row = await t.dataSource.getRepository(WebhookEndpointRecord).findOneByOrFail({ id });
      return row.disabled ? row : undefined;
    }, 'the endpoint disabled');
    expect(disabled.disabledReason).toBe('gone');
    const res = await t.http
      .get(`/webhook/endpoints/${id}`)
      .query({ CompanyId: SALON })
      .set('x-api-key', KEY)
      .expect(200);
    expect(res.body.Disabled).toBe(true);
    const second = await paidPayable();
    // The next event is planned without the disabled endpoint: it never gets a delivery.
    await waitUntil(async () => {
      const row = await t.dataSource
        .getRepository(OutboxEvent)
        .findOneByOrFail({ eventId: second.eventId });
      return row.fannedOut;
    }, 'the second event planned');
    const [{ count }] = await t.dataSource.query(
      `SELECT COUNT(*) AS count FROM payments_event_deliveries WHERE event_id = ? AND subscriber = ?`,
      [second.eventId, id],
    );
    expect(Number(count)).toBe(0);
    expect(receiver.requests.map((r) => r.webhookId)).toEqual([eventId]);
  });

  it('disables an endpoint failing for five days (by the database clock), and not before', async () => {
    const { id } = await endpoint(() => ({ status: 500 }));
    const repo = t.dataSource.getRepository(WebhookEndpointRecord);
    const daysAgo = (days: number) => new Date(Date.now() - days * 24 * 3_600_000);
    await repo.update({ id }, { failingSince: daysAgo(4.9) });
    const first = await paidPayable();
    await waitUntil(async () => {
      const [row] = await t.dataSource.query(
        `SELECT attempts FROM payments_event_deliveries WHERE event_id = ? AND subscriber = ?`,
        [first.eventId, id],
      );
      return row?.attempts >= 1;
    }, 'a failed attempt');
    expect(await repo.findOneByOrFail({ id })).toMatchObject({ disabled: false });
    await repo.update({ id }, { failingSince: daysAgo(5.1) });
    const disabled = await waitUntil(async () => {
      const row = await repo.findOneByOrFail({ id });
      return row.disabled ? row : undefined;
    }, 'the endpoint disabled');
    expect(disabled.disabledReason).toBe('failing');
  });

  it('honours a Retry-After longer than the schedule', async () => {
    const { id, receiver } = await endpoint((n) =>
      n === 1 ? { status: 503, headers: { 'retry-after': '2' } } : { status: 200 },
    );
    const { eventId } = await paidPayable();
    await waitUntil(() => receiver.effects.get(eventId) === 1, 'the delivery after Retry-After');
    await delivered(eventId, id);
    const [first, second] = (await attemptsOf(id)).filter((a) => a.EventId === eventId).reverse();
    expect(first.StatusCode).toBe(503);
    const gap = Date.parse(second.AttemptedAt) - Date.parse(first.AttemptedAt) - first.LatencyMs;
    expect(gap).toBeGreaterThanOrEqual(2000 - 2);
  });

  it('does not follow a redirect: a 302 is a failed attempt', async () => {
    const { id, receiver } = await endpoint((n) =>
      n === 1 ? { status: 302, headers: { location: '/elsewhere' } } : { status: 200 },
    );
    const { eventId } = await paidPayable();
    await waitUntil(() => receiver.effects.get(eventId) === 1, 'the delivery after the redirect');
    await delivered(eventId, id);
    const mine = receiver.requests.filter((r) => r.webhookId === eventId);
    expect(mine.map((r) => r.path)).toEqual(['/hook', '/hook']);
    expect(receiver.requests.some((r) => r.path !== '/hook')).toBe(false);
    const attempts = (await attemptsOf(id)).filter((a) => a.EventId === eventId);
    expect(attempts.map((a) => a.StatusCode)).toEqual([200, 302]);
  });

  it('signs with the old and the new secret for a day after a rotation', async () => {
    const { id, secrets, receiver } = await endpoint(() => ({ status: 200 }));
    const rotated = await t.http
      .post(`/webhook/endpoints/${id}/secret/rotate`)
      .set('x-api-key', KEY)
      .send({ CompanyId: SALON })
      .expect(200);
    const [old] = secrets;
    expect(rotated.body.Secret).toMatch(/^whsec_/);
    expect(rotated.body.Secret).not.toBe(old);
    secrets.push(rotated.body.Secret as string);
    const { eventId } = await paidPayable();
    await waitUntil(() => receiver.effects.get(eventId) === 1, 'the signed delivery');
    const request = receiver.requests.find((r) => r.webhookId === eventId)!;
    expect(request.verifiedWith).toEqual([old, rotated.body.Secret]);
  });

  it('events of types an endpoint does not subscribe to are not sent to it', async () => {
    const { receiver } = await endpoint(() => ({ status: 200 }), ['checkout.expired']);
    const { eventId } = await paidPayable();
    await waitUntil(async () => {
      const row = await t.dataSource.getRepository(OutboxEvent).findOneByOrFail({ eventId });
      return row.fannedOut;
    }, 'the event planned');
    expect(receiver.requests).toEqual([]);
  });
});
