import { Injectable } from '@nestjs/common';
import { OnPaymentEvent, type PaymentEvent } from '../../src/index.js';
import { paidPayableEvent } from '../support/paid-event.js';
import { salonCheckout, startTestApp, type TestApp } from '../support/test-app.js';
import { TEST_DB } from '../support/test-database.js';
import { waitUntil } from '../support/wait-until.js';

/** A host's own provider, as a booking system would write one: mark the booking paid, once. */
@Injectable()
class BookingPaidListener {
  readonly calls: { id: string; ref: string }[] = [];
  readonly paid = new Map<string, number>();
  private readonly failedOnce = new Set<string>();
  private running = new Map<string, number>();
  maxConcurrentPerEvent = 0;

  @OnPaymentEvent('payable.paid')
  async onPaid(event: PaymentEvent): Promise<void> {
    this.calls.push({ id: event.Id, ref: event.InternalReferenceId });
    this.running.set(event.Id, (this.running.get(event.Id) ?? 0) + 1);
    this.maxConcurrentPerEvent = Math.max(this.maxConcurrentPerEvent, this.running.get(event.Id)!);
    try {
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (!this.failedOnce.has(event.Id)) {
        this.failedOnce.add(event.Id);
        throw new Error('the booking system is busy');
      }
      // The effect, idempotent by the event's Id.
      if (!this.paid.has(event.Id)) this.paid.set(event.Id, 1);
      else this.paid.set(event.Id, this.paid.get(event.Id)! + 1);
    } finally {
      this.running.set(event.Id, this.running.get(event.Id)! - 1);
    }
  }
}

@Injectable()
class EverythingListener {
  readonly types: string[] = [];

  @OnPaymentEvent('*')
  onAny(event: PaymentEvent): void {
    this.types.push(event.Type);
  }
}

describe(`@OnPaymentEvent handlers in a host app (${TEST_DB})`, () => {
  let t: TestApp;
  let listener: BookingPaidListener;
  let everything: EverythingListener;
  beforeAll(async () => {
    t = await startTestApp({
      providers: [BookingPaidListener, EverythingListener],
      module: { webhooks: { retryScheduleMs: [0, 200, 400, 800], pollIntervalMs: 50 } },
    });
    listener = t.app.get(BookingPaidListener);
    everything = t.app.get(EverythingListener);
  });
  afterAll(() => t.close());

  it('a handler that throws the first time is called again with the same Id: one effect per paid payable', async () => {
    const events = await Promise.all([
      paidPayableEvent(t),
      paidPayableEvent(t),
      paidPayableEvent(t),
    ]);
    await waitUntil(
      () => events.every((e) => listener.paid.has(e.eventId)),
      'every booking marked paid',
    );
    for (const event of events) {
      const calls = listener.calls.filter((c) => c.id === event.eventId);
      expect(calls).toHaveLength(2);
      expect(listener.paid.get(event.eventId)).toBe(1);
    }
    expect(listener.maxConcurrentPerEvent).toBe(1);
    // The handler's effect lands before the worker records the attempt's outcome.
    const row = await waitUntil(async () => {
      const [delivery] = await t.dataSource.query(
        `SELECT state, attempts FROM payments_event_deliveries WHERE event_id = ? AND subscriber = ?`,
        [events[0].eventId, 'handler:BookingPaidListener.onPaid'],
      );
      return delivery?.state === 'pending' ? undefined : delivery;
    }, 'the delivery settled');
    expect(row).toEqual({ state: 'delivered', attempts: 2 });
  });

  it("'*' hears every type, once each", async () => {
    const event = await paidPayableEvent(t);
    await waitUntil(async () => {
      const [row] = await t.dataSource.query(
        `SELECT state FROM payments_event_deliveries WHERE event_id = ? AND subscriber = ?`,
        [event.eventId, 'handler:EverythingListener.onAny'],
      );
      return row?.state === 'delivered';
    }, 'the * handler');
    expect(
      everything.types.filter((type) => type === 'payable.paid').length,
    ).toBeGreaterThanOrEqual(4);
    const [{ count }] = await t.dataSource.query(
      `SELECT COUNT(*) AS count FROM payments_event_deliveries WHERE subscriber = ?`,
      ['handler:EverythingListener.onAny'],
    );
    const [{ events }] = await t.dataSource.query(`SELECT COUNT(*) AS events FROM payments_events`);
    expect(Number(count)).toBe(Number(events));
  });
});

@Injectable()
class SlowListener {
  readonly calls: string[] = [];
  private running = 0;
  maxConcurrent = 0;

  @OnPaymentEvent('payable.paid')
  async onPaid(event: PaymentEvent): Promise<void> {
    this.calls.push(event.Id);
    this.maxConcurrent = Math.max(this.maxConcurrent, ++this.running);
    // Far longer than a claim: the worker keeps renewing it.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    this.running--;
  }
}

describe(`a handler slower than a claim (${TEST_DB})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      providers: [SlowListener],
      module: { webhooks: { retryScheduleMs: [0, 100], pollIntervalMs: 20, claimMs: 300 } },
    });
  });
  afterAll(() => t.close());

  it('is called once, never alongside itself', async () => {
    const body = salonCheckout();
    const res = await t.http
      .post('/payment/stripe/v1/checkout')
      .set('x-api-key', 'demo-api-key')
      .send(body)
      .expect(200);
    await t.emulator.pay(res.body.SessionId as string);
    await waitUntil(async () => {
      const [row] = await t.dataSource.query(
        `SELECT state FROM payments_event_deliveries WHERE subscriber = ?`,
        ['handler:SlowListener.onPaid'],
      );
      return row?.state === 'delivered';
    }, 'the slow handler done');
    const listener = t.app.get(SlowListener);
    expect(listener.calls).toHaveLength(1);
    expect(listener.maxConcurrent).toBe(1);
  });
});
