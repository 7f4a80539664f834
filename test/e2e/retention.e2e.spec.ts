import { randomUUID } from 'node:crypto';
import { In, type Repository } from 'typeorm';
import { JobLeases } from '../../src/database/job-lease.js';
import {
  Checkout,
  EventDelivery,
  OutboxEvent,
  Payable,
  RetentionService,
  StripeEvent,
  WebhookAttempt,
} from '../../src/index.js';
import { RETENTION_JOB } from '../../src/retention/retention.service.js';
import { salonCheckout, SALON, startTestApp, type TestApp } from '../support/test-app.js';
import { TEST_DB } from '../support/test-database.js';

const DAY_MS = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS);

describe(`retention (${TEST_DB})`, () => {
  let a: TestApp;
  let b: TestApp;
  let stripeEvents: Repository<StripeEvent>;
  let outbox: Repository<OutboxEvent>;
  let deliveries: Repository<EventDelivery>;
  let attempts: Repository<WebhookAttempt>;
  const retention = { retentionDays: 90, batchSize: 10, intervalMs: 0 };
  // No delivery worker: it would fan out the events this suite writes as not fanned out yet.
  const module = { retention, webhooks: { pollIntervalMs: 0 } };

  beforeAll(async () => {
    a = await startTestApp({ module });
    b = await startTestApp({ db: a.db, emulator: a.emulator, module });
    stripeEvents = a.dataSource.getRepository(StripeEvent);
    outbox = a.dataSource.getRepository(OutboxEvent);
    deliveries = a.dataSource.getRepository(EventDelivery);
    attempts = a.dataSource.getRepository(WebhookAttempt);
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });
  beforeEach(async () => {
    await stripeEvents.deleteAll();
    await attempts.deleteAll();
    await deliveries.deleteAll();
    await outbox.deleteAll();
  });

  const addStripeEvents = async (count: number, processedAt: Date | null, receivedAt: Date) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const eventId = `evt_${randomUUID()}`;
      ids.push(eventId);
      await stripeEvents.insert({
        eventId,
        type: 'checkout.session.completed',
        account: null,
        receivedAt,
        processedAt,
      });
    }
    return ids;
  };
  const addOutboxEvents = async (count: number, fannedOut: boolean, createdAt: Date) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const eventId = randomUUID();
      ids.push(eventId);
      await outbox.insert({
        eventId,
        type: 'checkout.completed',
        companyId: SALON,
        payableId: randomUUID(),
        internalReferenceId: 'retention',
        sequence: 1,
        data: '{}',
        fannedOut,
        createdAt,
      });
    }
    return ids;
  };
  const remaining = async () => ({
    stripe: (await stripeEvents.find()).map((row) => row.eventId).sort(),
    outbox: (await outbox.find()).map((row) => row.eventId).sort(),
  });

  it('prunes old processed and fanned-out events in bounded batches, and keeps the rest and every checkout', async () => {
    const created = await a.http
      .post('/payment/stripe/v1/checkout')
      .set('x-api-key', 'demo-api-key')
      .send(salonCheckout())
      .expect(200);
    const checkout = await a.dataSource
      .getRepository(Checkout)
      .findOneByOrFail({ stripeSessionId: created.body.SessionId });
    // An ancient checkout and payable: the record of a payment, never pruned.
    await a.dataSource
      .getRepository(Checkout)
      .update({ id: checkout.id }, { createdAt: daysAgo(400), updatedAt: daysAgo(400) });
    await a.dataSource
      .getRepository(Payable)
      .update({ id: checkout.payableId }, { createdAt: daysAgo(400), updatedAt: daysAgo(400) });
    const createdEvents = (await outbox.find()).map((row) => row.eventId);
    await addStripeEvents(35, daysAgo(100), daysAgo(100));
    const recentStripe = await addStripeEvents(3, daysAgo(89), daysAgo(89));
    const unprocessed = await addStripeEvents(2, null, daysAgo(100));
    await addOutboxEvents(5, true, daysAgo(91));
    const notFannedOut = await addOutboxEvents(2, false, daysAgo(200));
    const recentOutbox = await addOutboxEvents(2, true, daysAgo(80));

    const report = await a.app.get(RetentionService).prune();

    // 35 old Stripe events at 10 a batch: 10, 10, 10, 5; 5 outbox events: one batch.
    expect(report).toEqual({
      ran: true,
      batches: 5,
      pruned: {
        stripeEvents: 35,
        webhookAttempts: 0,
        deliveredDeliveries: 0,
        failedDeliveries: 0,
        outboxEvents: 5,
      },
    });
    expect(await remaining()).toEqual({
      stripe: [...recentStripe, ...unprocessed].sort(),
      outbox: [...createdEvents, ...notFannedOut, ...recentOutbox].sort(),
    });
    expect(await a.dataSource.getRepository(Checkout).countBy({ id: checkout.id })).toBe(1);
    expect(await a.dataSource.getRepository(Payable).countBy({ id: checkout.payableId })).toBe(1);
    // A second pass finds nothing left to do.
    expect(await a.app.get(RetentionService).prune()).toEqual({
      ran: true,
      batches: 0,
      pruned: {
        stripeEvents: 0,
        webhookAttempts: 0,
        deliveredDeliveries: 0,
        failedDeliveries: 0,
        outboxEvents: 0,
      },
    });
  });

  it('prunes settled deliveries and their attempts; an event is kept while a delivery of it is pending', async () => {
    const [settledEvent, pendingEvent] = await addOutboxEvents(2, true, daysAgo(100));
    const [recentEvent] = await addOutboxEvents(1, true, daysAgo(10));
    const addDelivery = async (eventId: string, state: EventDelivery['state'], createdAt: Date) => {
      const id = randomUUID();
      const { position } = await outbox.findOneByOrFail({ eventId });
      await deliveries.insert({
        id,
        eventPosition: position,
        eventId,
        subscriber: `endpoint-${state}-${id}`,
        state,
        attempts: 1,
        nextAttemptAt: createdAt,
        claimToken: null,
        claimedUntil: null,
        resendRequested: false,
        lastStatus: 500,
        createdAt,
        deliveredAt: state === 'delivered' ? createdAt : null,
      });
      await attempts.insert({
        id: randomUUID(),
        deliveryId: id,
        endpointId: randomUUID(),
        eventId,
        eventType: 'payable.paid',
        attemptedAt: createdAt,
        statusCode: 500,
        latencyMs: 3,
        responseBody: null,
        error: null,
      });
      return id;
    };
    await addDelivery(settledEvent, 'delivered', daysAgo(100));
    await addDelivery(settledEvent, 'failed', daysAgo(97));
    const pending = await addDelivery(pendingEvent, 'pending', daysAgo(100));
    const recent = await addDelivery(recentEvent, 'delivered', daysAgo(10));

    expect(await a.app.get(RetentionService).prune()).toMatchObject({
      ran: true,
      pruned: { webhookAttempts: 3, deliveredDeliveries: 1, failedDeliveries: 1, outboxEvents: 1 },
    });
    expect((await deliveries.find()).map((row) => row.id).sort()).toEqual([pending, recent].sort());
    expect((await attempts.find()).map((row) => row.deliveryId).sort()).toEqual([recent]);
    expect((await outbox.find()).map((row) => row.eventId).sort()).toEqual(
      [pendingEvent, recentEvent].sort(),
    );
  });

  it('one instance at a time: a pass waits for the lease another instance holds', async () => {
    const old = await addStripeEvents(3, daysAgo(100), daysAgo(100));
    const held = await a.app.get(JobLeases).tryAcquire(RETENTION_JOB, 60_000);
    expect(held).toBeDefined();
    expect(await b.app.get(RetentionService).prune()).toEqual({
      ran: false,
      batches: 0,
      pruned: {},
    });
    expect(await a.app.get(RetentionService).prune()).toMatchObject({ ran: false });
    expect(await stripeEvents.countBy({ eventId: In(old) })).toBe(3);

    await a.app.get(JobLeases).release(held!);
    expect(await b.app.get(RetentionService).prune()).toMatchObject({
      ran: true,
      pruned: { stripeEvents: 3 },
    });
  });

  it('a lease that ran out is taken over, and its old holder changes nothing', async () => {
    const leasesA = a.app.get(JobLeases);
    const leasesB = b.app.get(JobLeases);
    const first = await leasesA.tryAcquire('lease-test', 100);
    expect(first).toBeDefined();
    expect(await leasesB.tryAcquire('lease-test', 60_000)).toBeUndefined();
    // The database's clock decides when it ran out: poll until it has.
    const deadline = Date.now() + 10_000;
    let second = await leasesB.tryAcquire('lease-test', 60_000);
    while (!second && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      second = await leasesB.tryAcquire('lease-test', 60_000);
    }
    expect(second).toBeDefined();
    let ranFenced = false;
    expect(await leasesA.fenced(first!, async () => (ranFenced = true))).toEqual({ held: false });
    expect(ranFenced).toBe(false);
    // Its release leaves the new holder's lease alone.
    await leasesA.release(first!);
    expect(await leasesA.tryAcquire('lease-test', 60_000)).toBeUndefined();
    expect(await leasesB.fenced(second!, async () => 'done')).toEqual({
      held: true,
      result: 'done',
    });
  });

  it('runs on its own timer when an interval is set', async () => {
    const old = await addStripeEvents(3, daysAgo(100), daysAgo(100));
    const timed = await startTestApp({
      db: a.db,
      emulator: a.emulator,
      module: { ...module, retention: { ...retention, intervalMs: 50 } },
    });
    try {
      const deadline = Date.now() + 10_000;
      while ((await stripeEvents.countBy({ eventId: In(old) })) > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(await stripeEvents.countBy({ eventId: In(old) })).toBe(0);
    } finally {
      await timed.close();
    }
  });
});
