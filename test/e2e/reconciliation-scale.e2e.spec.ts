import { Checkout } from '../../src/index.js';
import {
  RECONCILE_STRIPE_CONCURRENCY,
  ReconciliationService,
} from '../../src/reconciliation/reconciliation.service.js';
import { emulatorStripe, insertCreatingWithSession } from '../support/stuck-checkout.js';
import { salonCheckout, startTestApp, type TestApp } from '../support/test-app.js';
import { TEST_DB } from '../support/test-database.js';

/** Half made by the service and left open, half left `creating` by a crash after Stripe's create. */
const STUCK = 1000;

describe(`reconciliation of ${STUCK} stuck sessions (${TEST_DB})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ module: { rateLimit: { perKey: 0, perPayable: 0 } } });
  });
  afterAll(() => t.close());

  it('one pass settles them all, at most the concurrency limit of requests at Stripe at once', async () => {
    const seeding = performance.now();
    const stripe = emulatorStripe(t);
    const sessions: string[] = [];
    for (let i = 0; i < STUCK / 2; i++) {
      const res = await t.http
        .post('/payment/stripe/v1/checkout')
        .set('x-api-key', 'demo-api-key')
        .send(salonCheckout({ InternalReferenceId: `stuck-open-${i}` }))
        .expect(200);
      sessions.push(res.body.SessionId as string);
    }
    for (let i = 0; i < STUCK / 2; i++) {
      sessions.push((await insertCreatingWithSession(t, stripe, `stuck-creating-${i}`)).sessionId);
    }
    if (process.env.RECONCILE_FIGURE)
      console.log(`seed: ${Math.round(performance.now() - seeding)} ms`);
    // Stripe moved on and no webhook told us: every other session expired, the rest paid.
    const expired = sessions.filter((_, i) => i % 2 === 0);
    const paid = sessions.filter((_, i) => i % 2 === 1);
    for (const id of expired) await t.emulator.expire(id, { sendWebhook: false });
    for (const id of paid) await t.emulator.pay(id, { sendWebhook: false });
    // Each Stripe answer takes a moment, so requests overlap as they would over a network.
    t.emulator.injectFault({ path: '^/v1/', kind: 'delay', ms: 3, times: 100 * STUCK });
    t.emulator.concurrency.peak = 0;

    const later = new Date(Date.now() + 10 * 60_000);
    const started = performance.now();
    const report = await t.app.get(ReconciliationService).reconcile(later);
    if (process.env.RECONCILE_FIGURE)
      console.log(
        `reconcile ${STUCK}: ${Math.round(performance.now() - started)} ms, peak ${t.emulator.concurrency.peak}`,
      );
    t.emulator.clearFaults();

    expect(report).toEqual({ settled: STUCK, busy: 0, failed: 0 });
    const rows = await t.dataSource.getRepository(Checkout).find();
    const rowOf = new Map(rows.map((row) => [row.stripeSessionId, row]));
    const tally = (ids: string[]) => {
      const counts: Record<string, number> = {};
      for (const id of ids) {
        const row = rowOf.get(id);
        const key = `${row?.state}/${row?.paymentStatus}`;
        counts[key] = (counts[key] ?? 0) + 1;
      }
      return counts;
    };
    expect(tally(expired)).toEqual({ 'expired/unpaid': STUCK / 2 });
    expect(tally(paid)).toEqual({ 'complete/paid': STUCK / 2 });
    expect(rows.filter((row) => row.state === 'creating' || row.state === 'open')).toEqual([]);
    expect(t.emulator.concurrency.peak).toBeLessThanOrEqual(RECONCILE_STRIPE_CONCURRENCY);
    expect(t.emulator.concurrency.peak).toBeGreaterThan(1);
  }, 300_000);
});
