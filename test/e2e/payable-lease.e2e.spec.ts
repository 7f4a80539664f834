import { jest } from '@jest/globals';
import { PaymentsDb } from '../../src/database/payments-db.js';
import { Payable } from '../../src/index.js';
import { checkoutRowsOf } from '../support/checkout-rows.js';
import { SALON_ACCOUNT, salonCheckout, startTestApp, type TestApp } from '../support/test-app.js';
import { TEST_DB } from '../support/test-database.js';

const CREATE_PATH = '^/v1/checkout/sessions$';

/** Every timer stays real; only the instance's clock (Date) moves. */
const ONLY_DATE = [
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'requestIdleCallback',
  'cancelIdleCallback',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
] as const;

describe(`the per-payable lease (${TEST_DB})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ module: { lockWaitMs: 300 } });
  });
  afterEach(() => {
    jest.useRealTimers();
    t.emulator.clearFaults();
  });
  afterAll(() => t.close());

  const create = (body: Record<string, unknown>) =>
    t.http.post('/payment/stripe/v1/checkout').set('x-api-key', 'demo-api-key').send(body);
  const sessionsOf = (ref: string) =>
    t.emulator.sessions(SALON_ACCOUNT).filter((s) => s.client_reference_id === ref);

  /** Another holder's lease on the payable, ending `ms` from now by the database's clock. */
  async function leaseHeldElsewhere(ref: string, ms: number): Promise<void> {
    const db = t.app.get(PaymentsDb);
    const until =
      ms >= 0
        ? db.nowPlus(ms)
        : db.kind === 'mysql'
          ? `TIMESTAMPADD(MICROSECOND, ${ms * 1000}, UTC_TIMESTAMP(3))`
          : `strftime('%Y-%m-%d %H:%M:%f', 'now', '${(ms / 1000).toFixed(3)} seconds')`;
    await db.run((m) =>
      db.sql(
        m,
        `UPDATE ${db.table(Payable)} SET lock_token = 'another-holder', locked_until = ${until} WHERE internal_reference_id = ?`,
        [ref],
      ),
    );
  }

  it('a create waits for a held lease, then answers 409 CheckoutInProgress and calls no Stripe', async () => {
    const body = salonCheckout();
    const ref = body.InternalReferenceId as string;
    await create(body).expect(200);
    await leaseHeldElsewhere(ref, 60_000);
    const before = t.emulator.requests.length;
    const res = await create(body).expect(409);
    expect(res.body.ResponseStatus.ErrorCode).toBe('CheckoutInProgress');
    expect(res.headers['retry-after']).toBeDefined();
    expect(t.emulator.requests.length).toBe(before);
  });

  it('a lease whose holder stopped renewing is taken over', async () => {
    const body = salonCheckout();
    const ref = body.InternalReferenceId as string;
    const first = await create(body).expect(200);
    await leaseHeldElsewhere(ref, -1000);
    const second = await create(body).expect(200);
    expect(sessionsOf(ref).map((s) => [s.id, s.status])).toEqual([
      [first.body.SessionId, 'expired'],
      [second.body.SessionId, 'open'],
    ]);
  });

  it.each([
    ['ten minutes ahead', 10 * 60_000, 60_000, 409],
    ['ten minutes behind', -10 * 60_000, -1000, 200],
  ])(
    'expiry is judged by the database clock: an instance clock %s changes nothing',
    async (_name, skewMs, leaseEndsInMs, expected) => {
      const body = salonCheckout();
      const ref = body.InternalReferenceId as string;
      await create(body).expect(200);
      await leaseHeldElsewhere(ref, leaseEndsInMs);
      jest.useFakeTimers({ doNotFake: [...ONLY_DATE], now: Date.now() + skewMs });
      const res = await create(body);
      jest.useRealTimers();
      expect(res.status).toBe(expected);
    },
  );

  it('a holder that lost its lease during the Stripe call hands out nothing; the next create ends its session', async () => {
    const body = salonCheckout();
    const ref = body.InternalReferenceId as string;
    await create(body).expect(200);
    t.emulator.injectFault({ method: 'POST', path: CREATE_PATH, kind: 'hold', stage: 'after' });
    const slow = create(body).then((res) => res);
    const held = await t.emulator.waitForHeld();
    // Another holder took the lease while this one was frozen, and has given it up since.
    await leaseHeldElsewhere(ref, -1000);
    held.release();
    const res = await slow;
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      ResponseStatus: expect.objectContaining({ ErrorCode: 'CheckoutInProgress' }),
    });
    const orphan = sessionsOf(ref).at(-1)!;
    expect(orphan.status).toBe('open');

    const next = await create(body).expect(200);
    expect(
      sessionsOf(ref)
        .filter((s) => s.status === 'open')
        .map((s) => s.id),
    ).toEqual([next.body.SessionId]);
    expect(sessionsOf(ref).find((s) => s.id === orphan.id)?.status).toBe('expired');
    const rows = await checkoutRowsOf(t.dataSource, ref);
    expect(rows.filter((row) => row.state === 'open').map((row) => row.stripeSessionId)).toEqual([
      next.body.SessionId,
    ]);
  });

  it('lasts for the worst case of a Stripe operation: timeout × attempts, with the SDK backoff', async () => {
    const db = t.app.get(PaymentsDb);
    const body = salonCheckout();
    const ref = body.InternalReferenceId as string;
    await create(body).expect(200);
    t.emulator.injectFault({ method: 'POST', path: CREATE_PATH, kind: 'hold' });
    const pending = create(body).then((res) => res);
    const held = await t.emulator.waitForHeld();
    const { rows } = await db.run((m) =>
      db.sql<{ remaining: number }>(
        m,
        db.kind === 'mysql'
          ? `SELECT TIMESTAMPDIFF(MICROSECOND, UTC_TIMESTAMP(3), locked_until) / 1000 AS remaining FROM ${db.table(Payable)} WHERE internal_reference_id = ?`
          : `SELECT (julianday(locked_until) - julianday('now')) * 86400000 AS remaining FROM ${db.table(Payable)} WHERE internal_reference_id = ?`,
        [ref],
      ),
    );
    held.release();
    expect((await pending).status).toBe(200);
    // Test app: timeout 3 s, 2 retries → 3 attempts (9 s) + backoff (1.5 s), twice, plus the margin.
    expect(Number(rows[0].remaining)).toBeGreaterThan(2 * (9_000 + 1_500));
  });
});
