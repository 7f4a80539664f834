import type { DataSource } from 'typeorm';
import { startStripeEmulator, type StripeEmulator } from '../../emulator/src/index.js';
import { freeLoopbackPort } from '../../app/src/free-port.js';
import { Checkout, OutboxEvent, Payable } from '../../src/index.js';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { SALON, salonCheckout, WEBHOOK_SECRET } from '../support/test-app.js';
import {
  createTestDatabase,
  migratedDataSource,
  TEST_DB,
  type TestDatabase,
} from '../support/test-database.js';
import { waitUntil } from '../support/wait-until.js';
import {
  startWebhookReceiver,
  type Answer,
  type WebhookReceiver,
} from '../support/webhook-receiver.js';

/** Short timeout (so a claim of a killed instance ends 6 s later), quick retries. */
const DELIVERING = {
  WEBHOOK_POLL_INTERVAL_MS: '100',
  WEBHOOK_TIMEOUT_MS: '1000',
  WEBHOOK_RETRY_SCHEDULE_MS: '0,200,400,800,1600,3200',
};
/** An instance that writes events but never gets round to delivering them. */
const NOT_DELIVERING = { ...DELIVERING, WEBHOOK_POLL_INTERVAL_MS: '86400000' };

/**
 * Issue "Close the loop", crash tests: the built service is killed with SIGKILL after a payment's
 * change is committed and before its event is delivered, or while the receiver holds the
 * delivery; started again, it delivers the event (at least once, the same Id), and no event
 * arrives without its change.
 */
describe(`webhook delivery across a crash (${TEST_DB})`, () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let emulator: StripeEmulator;
  let receiver: WebhookReceiver;
  let port: number;
  let service: ServiceProcess | undefined;
  const secrets: string[] = [];
  let answer: (eventId: string, n: number) => Answer = () => ({ status: 200 });

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await migratedDataSource(db.url);
    port = await freeLoopbackPort();
    emulator = await startStripeEmulator({
      port: 0,
      webhookSecret: WEBHOOK_SECRET,
      webhookUrl: `http://127.0.0.1:${port}/payment/stripe/v1/webhook`,
      faults: true,
    });
    receiver = await startWebhookReceiver({
      secrets: () => secrets,
      answer: ({ eventId, n }) => answer(eventId, n),
    });
  }, 30_000);
  afterAll(async () => {
    await service?.stop();
    await receiver.close();
    await dataSource.destroy();
    await emulator.close();
    await db.drop();
  });

  const start = async (env: Record<string, string>) => {
    service = await startServiceProcess({ dbUrl: db.url, stripeApiUrl: emulator.url, port, env });
    return service;
  };
  const crash = async () => {
    await service!.crash();
    service = undefined;
  };
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${service!.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'demo-api-key' },
      body: JSON.stringify(body),
    });
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
  /** Creates and pays a checkout; resolves once its change and event are committed. */
  const paid = async (): Promise<OutboxEvent> => {
    const body = salonCheckout();
    const { SessionId } = await post('/payment/stripe/v1/checkout', body);
    await emulator.pay(SessionId as string);
    return waitUntil(async () => {
      const payable = await dataSource
        .getRepository(Payable)
        .findOneBy({ internalReferenceId: body.InternalReferenceId as string });
      if (!payable) return undefined;
      const event = await dataSource
        .getRepository(OutboxEvent)
        .findOneBy({ payableId: payable.id, type: 'payable.paid' });
      return event ?? undefined;
    }, 'the payable.paid event');
  };
  /** Every event that arrived tells of a change that is in the database. */
  const expectEveryArrivalCommitted = async () => {
    for (const request of receiver.requests) {
      expect(request.verifiedWith).toHaveLength(1);
      const checkout = await dataSource
        .getRepository(Checkout)
        .findOneByOrFail({ id: request.event!.Data.CheckoutId });
      expect(checkout.state).toBe('complete');
    }
  };

  it('killed after the change, before the delivery: the event arrives after the restart', async () => {
    await start(NOT_DELIVERING);
    const endpoint = await post('/webhook/endpoints', {
      CompanyId: SALON,
      Url: receiver.url,
      EventTypes: ['payable.paid'],
    });
    secrets.push(endpoint.Secret as string);
    const event = await paid();
    await crash();
    expect(receiver.requests).toEqual([]);
    await start(DELIVERING);
    await waitUntil(() => receiver.effects.get(event.eventId) === 1, 'the event after the restart');
    expect(receiver.requests.map((r) => r.webhookId)).toEqual([event.eventId]);
    await expectEveryArrivalCommitted();
  }, 90_000);

  it('killed during a delivery: the same event arrives again after the restart', async () => {
    await service?.stop();
    await start(DELIVERING);
    const holding = new Set<string>();
    answer = (eventId) => {
      if (holding.has(eventId)) return { status: 200 };
      holding.add(eventId);
      return 'hold';
    };
    const before = receiver.requests.length;
    const event = await paid();
    await waitUntil(() => receiver.held.length > 0, 'the delivery held at the receiver');
    await crash();
    receiver.held[0].drop();
    await start(DELIVERING);
    await waitUntil(() => receiver.effects.get(event.eventId) === 1, 'the event again', 40_000);
    const arrivals = receiver.requests.slice(before);
    expect(arrivals.length).toBeGreaterThanOrEqual(2);
    expect(new Set(arrivals.map((r) => r.webhookId))).toEqual(new Set([event.eventId]));
    await expectEveryArrivalCommitted();
  }, 90_000);
});
