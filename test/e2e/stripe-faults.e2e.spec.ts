import { ReconciliationService } from '../../src/reconciliation/reconciliation.service.js';
import { startStripeEmulator, type StripeEmulator } from '../../emulator/src/index.js';
import type { FaultSpec } from '../../emulator/src/types.js';
import {
  SALON_ACCOUNT,
  WEBHOOK_SECRET,
  salonCheckout,
  startTestApp,
  type TestApp,
} from '../support/test-app.js';
import { checkoutRowsOf } from '../support/checkout-rows.js';
import { expectRetryLater } from '../support/retry-later.js';
import { TEST_DB } from '../support/test-database.js';

const TIMEOUT_MS = 1000;
const ATTEMPTS = 3; // the first try and maxNetworkRetries = 2
// The SDK backs off 0.5 s, then 0.5..1 s between attempts; the rest is slack for a slow machine.
const WORST_CASE_MS = ATTEMPTS * TIMEOUT_MS + 1500 + 1500;
const CREATE_PATH = '^/v1/checkout/sessions$';
const EXPIRE_PATH = '^/v1/checkout/sessions/[^/]+/expire$';

describe(`Stripe faults on create (${TEST_DB})`, () => {
  let emulator: StripeEmulator;
  let t: TestApp;
  beforeAll(async () => {
    emulator = await startStripeEmulator({ port: 0, webhookSecret: WEBHOOK_SECRET, faults: true });
    t = await startTestApp({
      emulator,
      module: {
        stripe: {
          secretKey: 'sk_test_faults',
          apiUrl: emulator.url,
          webhookSecret: WEBHOOK_SECRET,
          timeoutMs: TIMEOUT_MS,
          maxNetworkRetries: ATTEMPTS - 1,
        },
      },
    });
  });
  afterEach(() => emulator.clearFaults());
  afterAll(async () => {
    await t.close();
    await emulator.close();
  });

  const create = async (body: Record<string, unknown>) => {
    const started = Date.now();
    const res = await t.http
      .post('/payment/stripe/v1/checkout')
      .set('x-api-key', 'demo-api-key')
      .send(body);
    return { res, elapsedMs: Date.now() - started };
  };
  const refOf = (body: Record<string, unknown>) => body.InternalReferenceId as string;
  const createAttempts = (ref: string) =>
    emulator.requests.filter(
      (r) =>
        r.method === 'POST' &&
        r.path === '/v1/checkout/sessions' &&
        r.params.client_reference_id === ref,
    );
  const emulatedSessions = (ref: string) =>
    emulator.sessions(SALON_ACCOUNT).filter((s) => s.client_reference_id === ref);
  const rowsOf = (ref: string) => checkoutRowsOf(t.dataSource, ref);
  const reconcileLater = () =>
    t.app.get(ReconciliationService).reconcile(new Date(Date.now() + 10 * 60_000));

  /** DESIGN §2 crash safety: Stripe holds no session we do not know, and at most one is open. */
  async function expectConsistent(ref: string): Promise<void> {
    await reconcileLater();
    const rows = await rowsOf(ref);
    const known = new Set(rows.map((row) => row.stripeSessionId));
    const sessions = emulatedSessions(ref);
    for (const session of sessions) expect(known).toContain(session.id);
    expect(sessions.filter((s) => s.status === 'open').length).toBeLessThanOrEqual(1);
    expect(rows.filter((row) => row.state === 'open').length).toBeLessThanOrEqual(1);
    for (const row of rows.filter((r) => r.state === 'open')) {
      expect(sessions.find((s) => s.id === row.stripeSessionId)?.status).toBe('open');
    }
  }

  function expectOneKey(ref: string, attempts: number): void {
    const sent = createAttempts(ref);
    expect(sent).toHaveLength(attempts);
    expect(new Set(sent.map((r) => r.idempotencyKey)).size).toBe(1);
    expect(sent[0].idempotencyKey).toMatch(/^checkout-/);
  }

  const expectUnavailable = (res: Awaited<ReturnType<typeof create>>['res']) =>
    expectRetryLater(res, 'StripeUnavailable');

  async function createThrough(fault: FaultSpec) {
    const body = salonCheckout();
    emulator.injectFault(fault);
    const result = await create(body);
    return { ...result, ref: refOf(body), body };
  }

  describe.each([
    ['500', '500'],
    ['429 with Stripe-Should-Retry: true', '429'],
  ] as const)('%s', (_name, kind) => {
    it('once: retried under the same key, the caller gets 200', async () => {
      const { res, ref } = await createThrough({ method: 'POST', path: CREATE_PATH, kind });
      expect(res.status).toBe(200);
      expectOneKey(ref, 2);
      expect(emulatedSessions(ref).map((s) => s.id)).toEqual([res.body.SessionId]);
      await expectConsistent(ref);
    });

    it('on every attempt: a bounded 503 with Retry-After, and no unknown session', async () => {
      const { res, elapsedMs, ref } = await createThrough({
        method: 'POST',
        path: CREATE_PATH,
        kind,
        times: ATTEMPTS,
      });
      expectUnavailable(res);
      expect(elapsedMs).toBeLessThan(WORST_CASE_MS);
      expectOneKey(ref, ATTEMPTS);
      await expectConsistent(ref);
    });
  });

  it('429 with Stripe-Should-Retry: false is not retried: 503 at once', async () => {
    const { res, elapsedMs, ref } = await createThrough({
      method: 'POST',
      path: CREATE_PATH,
      kind: '429-no-retry',
    });
    expectUnavailable(res);
    expect(elapsedMs).toBeLessThan(TIMEOUT_MS);
    expectOneKey(ref, 1);
    await expectConsistent(ref);
  });

  it('a hang past the client timeout is retried under the same key: 200', async () => {
    const { res, elapsedMs, ref } = await createThrough({
      method: 'POST',
      path: CREATE_PATH,
      kind: 'hang',
    });
    expect(res.status).toBe(200);
    expect(elapsedMs).toBeGreaterThanOrEqual(TIMEOUT_MS);
    expect(elapsedMs).toBeLessThan(WORST_CASE_MS);
    expectOneKey(ref, 2);
    await expectConsistent(ref);
  });

  it('Stripe hanging on every attempt: 503 within timeout × attempts', async () => {
    const { res, elapsedMs, ref } = await createThrough({
      method: 'POST',
      path: CREATE_PATH,
      kind: 'hang',
      times: ATTEMPTS,
    });
    expectUnavailable(res);
    expect(elapsedMs).toBeGreaterThanOrEqual(ATTEMPTS * TIMEOUT_MS);
    expect(elapsedMs).toBeLessThan(WORST_CASE_MS);
    expectOneKey(ref, ATTEMPTS);
    await expectConsistent(ref);
  });

  it('an answer slower than the client timeout: the retry finds the same session', async () => {
    const { res, ref } = await createThrough({
      method: 'POST',
      path: CREATE_PATH,
      kind: 'delay',
      ms: TIMEOUT_MS + 300,
    });
    expect(res.status).toBe(200);
    expect(new Set(createAttempts(ref).map((r) => r.idempotencyKey)).size).toBe(1);
    expect(emulatedSessions(ref).map((s) => s.id)).toEqual([res.body.SessionId]);
    await expectConsistent(ref);
  });

  it('a connection reset after Stripe created the session: the replay answers it, 200', async () => {
    const { res, ref } = await createThrough({
      method: 'POST',
      path: CREATE_PATH,
      kind: 'reset-after-create',
    });
    expect(res.status).toBe(200);
    expectOneKey(ref, 2);
    expect(emulatedSessions(ref).map((s) => s.id)).toEqual([res.body.SessionId]);
    await expectConsistent(ref);
  });

  describe('re-create of a payable whose earlier session must be expired', () => {
    const expireAttempts = (sessionId: string) =>
      emulator.requests.filter((r) => r.path === `/v1/checkout/sessions/${sessionId}/expire`);

    it('the expire fails once: retried under the same key, the caller gets 200', async () => {
      const body = salonCheckout();
      const first = await create(body);
      expect(first.res.status).toBe(200);
      emulator.injectFault({ method: 'POST', path: EXPIRE_PATH, kind: 'expire-fail' });
      const second = await create(body);
      expect(second.res.status).toBe(200);
      const attempts = expireAttempts(first.res.body.SessionId as string);
      expect(attempts).toHaveLength(2);
      expect(new Set(attempts.map((r) => r.idempotencyKey)).size).toBe(1);
      const sessions = emulatedSessions(refOf(body));
      expect(sessions.find((s) => s.id === first.res.body.SessionId)?.status).toBe('expired');
      expect(sessions.find((s) => s.id === second.res.body.SessionId)?.status).toBe('open');
      await expectConsistent(refOf(body));
    });

    it('the expire keeps failing: 503 with Retry-After, and no new session is created', async () => {
      const body = salonCheckout();
      const first = await create(body);
      expect(first.res.status).toBe(200);
      const firstId = first.res.body.SessionId as string;
      emulator.injectFault({
        method: 'POST',
        path: `^/v1/checkout/sessions/${firstId}/expire$`,
        kind: 'expire-fail',
        times: ATTEMPTS,
      });
      const second = await create(body);
      expectUnavailable(second.res);
      expect(second.elapsedMs).toBeLessThan(WORST_CASE_MS);

      // The earlier session stays the payable's only one: the new one was never asked of Stripe.
      const sessions = emulatedSessions(refOf(body));
      expect(sessions.map((s) => [s.id, s.status])).toEqual([[firstId, 'open']]);
      expect((await rowsOf(refOf(body))).map((row) => row.state)).toEqual(['open']);
      await expectConsistent(refOf(body));

      // Once Stripe answers again, the next create settles it: exactly one session open.
      const third = await create(body);
      expect(third.res.status).toBe(200);
      const open = emulatedSessions(refOf(body)).filter((s) => s.status === 'open');
      expect(open.map((s) => s.id)).toEqual([third.res.body.SessionId]);
      await expectConsistent(refOf(body));
    });
  });
});
