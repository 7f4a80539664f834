import { Checkout, Payable } from '../../src/index.js';
import { ReconciliationService } from '../../src/reconciliation/reconciliation.service.js';
import { checkoutRowsOf } from '../support/checkout-rows.js';
import { rogueCheckout } from '../support/rogue-session.js';
import { sessionEvent, sign } from '../support/stripe-events.js';
import {
  SALON,
  SALON_ACCOUNT,
  salonCheckout,
  startTestApp,
  WEBHOOK_SECRET,
  type TestApp,
} from '../support/test-app.js';
import { TEST_DB } from '../support/test-database.js';

const EXPIRE_PATH = '^/v1/checkout/sessions/[^/]+/expire$';

describe(`money safety: one payable session at a time (${TEST_DB})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterEach(() => t.emulator.clearFaults());
  afterAll(() => t.close());

  const create = (body: Record<string, unknown>) =>
    t.http.post('/payment/stripe/v1/checkout').set('x-api-key', 'demo-api-key').send(body);
  const current = (ref: string) =>
    t.http
      .get('/payment/stripe/v1/checkout')
      .query({ CompanyId: SALON, InternalReferenceId: ref })
      .set('x-api-key', 'demo-api-key');
  const status = (sessionId: string) =>
    t.http
      .post('/payment/stripe/v1/checkout/status')
      .set('x-api-key', 'demo-api-key')
      .send({ CompanyId: SALON, SessionId: sessionId });
  const deliver = (payload: string) =>
    t.http
      .post('/payment/stripe/v1/webhook')
      .set('Content-Type', 'application/json')
      .set('Stripe-Signature', sign(payload, WEBHOOK_SECRET))
      .send(payload);
  const sessionsOf = (ref: string) =>
    t.emulator.sessions(SALON_ACCOUNT).filter((s) => s.client_reference_id === ref);
  const openAtStripe = (ref: string) =>
    sessionsOf(ref)
      .filter((s) => s.status === 'open')
      .map((s) => s.id);
  const stripeStatus = (sessionId: string) =>
    t.emulator.sessions(SALON_ACCOUNT).find((s) => s.id === sessionId)?.status;
  const rowsOf = (ref: string) => checkoutRowsOf(t.dataSource, ref);
  const payableOf = (ref: string) =>
    t.dataSource.getRepository(Payable).findOneByOrFail({ internalReferenceId: ref });
  const reconcile = () =>
    t.app.get(ReconciliationService).reconcile(new Date(Date.now() + 10 * 60_000));
  const waitForRequest = async (path: string) => {
    const deadline = Date.now() + 5000;
    while (!t.emulator.requests.some((r) => r.path === path)) {
      if (Date.now() > deadline) throw new Error(`no request to ${path}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  it('a re-create with a slow expire: never two open sessions, no GET hands out one beside another', async () => {
    const body = salonCheckout();
    const ref = body.InternalReferenceId as string;
    const first = await create(body).expect(200);
    t.emulator.injectFault({ method: 'POST', path: EXPIRE_PATH, kind: 'delay', ms: 1500 });

    let mostOpen = 0;
    let recreating = true;
    const sampling = (async () => {
      while (recreating) {
        mostOpen = Math.max(mostOpen, openAtStripe(ref).length);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const handedOut: { sessionId: string; openWhenAnswered: string[] }[] = [];
    const reading = (async () => {
      while (recreating) {
        const res = await current(ref);
        if (res.status === 200 && res.body.Url) {
          handedOut.push({ sessionId: res.body.SessionId, openWhenAnswered: openAtStripe(ref) });
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const second = await create(body);
    recreating = false;
    await Promise.all([sampling, reading]);

    expect(second.status).toBe(200);
    expect(mostOpen).toBe(1);
    expect(handedOut.length).toBeGreaterThan(0);
    // No other session could be paid when one was handed out. (The one handed out may have been
    // ended by the re-create's expire by the time its answer arrives: it was the only one.)
    for (const answer of handedOut) {
      expect(answer.openWhenAnswered.filter((id) => id !== answer.sessionId)).toEqual([]);
    }
    expect(openAtStripe(ref)).toEqual([second.body.SessionId]);
    expect(stripeStatus(first.body.SessionId)).toBe('expired');
    expect((await current(ref).expect(200)).body).toMatchObject({
      SessionId: second.body.SessionId,
      Status: 'open',
      Url: expect.any(String),
    });
  });

  it('a payment during a slow invalidation: the re-create is 409 AlreadyPaid and creates nothing', async () => {
    const body = salonCheckout();
    const ref = body.InternalReferenceId as string;
    const first = await create(body).expect(200);
    t.emulator.injectFault({ method: 'POST', path: EXPIRE_PATH, kind: 'delay', ms: 1000 });
    // supertest sends on then(): start the re-create now.
    const recreate = create(body).then((res) => res);
    await waitForRequest(`/v1/checkout/sessions/${first.body.SessionId}/expire`);
    await t.emulator.pay(first.body.SessionId);

    const res = await recreate;
    expect(res.status).toBe(409);
    expect(res.body.ResponseStatus.ErrorCode).toBe('AlreadyPaid');
    expect(sessionsOf(ref).map((s) => [s.id, s.status])).toEqual([
      [first.body.SessionId, 'complete'],
    ]);
    expect((await rowsOf(ref)).map((row) => row.state)).toEqual(['complete']);
    expect((await payableOf(ref)).paidCheckoutId).toBe((await rowsOf(ref))[0].id);
  });

  it('an earlier session found paid while invalidating (no webhook yet): 409, and the payment is recorded', async () => {
    const body = salonCheckout();
    const ref = body.InternalReferenceId as string;
    const first = await create(body).expect(200);
    await t.emulator.pay(first.body.SessionId, { sendWebhook: false });
    const res = await create(body).expect(409);
    expect(res.body.ResponseStatus.ErrorCode).toBe('AlreadyPaid');
    expect(sessionsOf(ref)).toHaveLength(1);
    const [row] = await rowsOf(ref);
    expect(row).toMatchObject({ state: 'complete', paymentStatus: 'paid', refundRequired: false });
    expect((await payableOf(ref)).paidCheckoutId).toBe(row.id);
  });

  it('a paid payable reads back as paid, whatever was re-created around it', async () => {
    const body = salonCheckout();
    const ref = body.InternalReferenceId as string;
    const first = await create(body).expect(200);
    const second = await create(body).expect(200);
    await t.emulator.pay(second.body.SessionId, { sendWebhook: false });
    await create(body).expect(409);
    // A newer checkout row made behind the service's back changes nothing for the reader.
    await rogueCheckout(t, ref, 'creating', false);
    const res = await current(ref).expect(200);
    expect(res.body).toMatchObject({
      SessionId: second.body.SessionId,
      Status: 'complete',
      PaymentIntentId: expect.stringMatching(/^pi_/),
      Url: null,
    });
    expect(stripeStatus(first.body.SessionId)).toBe('expired');
  });

  it('a late payment of an invalidated session (a bug or a race elsewhere) still reads back as paid', async () => {
    const body = salonCheckout();
    const ref = body.InternalReferenceId as string;
    await create(body).expect(200);
    const rogue = await rogueCheckout(t, ref, 'open');
    const [original] = await rowsOf(ref);
    // The reader is told about the newest open session; the customer pays the rogue one.
    await t.emulator.pay(rogue.sessionId!, { sendWebhook: false });
    await t.dataSource
      .getRepository(Checkout)
      .update({ id: rogue.checkoutId }, { state: 'expired', invalidatedBy: original.id });
    await deliver(
      sessionEvent(t.emulator, rogue.sessionId!, 'checkout.session.completed', SALON_ACCOUNT),
    ).expect(200);
    const res = await current(ref).expect(200);
    expect(res.body).toMatchObject({ SessionId: rogue.sessionId, Status: 'complete' });
    // The payment expired the other open session.
    expect(openAtStripe(ref)).toEqual([]);
  });

  it.each([
    ['GET', 'newest'],
    ['status', 'newest'],
    ['reconciliation', 'oldest'],
  ] as const)(
    'a payment found by %s expires the payable’s other open session',
    async (path, paidOne) => {
      const body = salonCheckout();
      const ref = body.InternalReferenceId as string;
      const created = await create(body).expect(200);
      const rogue = await rogueCheckout(t, ref, 'open');
      const [paid, other] =
        paidOne === 'newest'
          ? [rogue.sessionId!, created.body.SessionId as string]
          : [created.body.SessionId as string, rogue.sessionId!];
      await t.emulator.pay(paid, { sendWebhook: false });
      if (path === 'GET') await current(ref).expect(200);
      else if (path === 'status') await status(paid).expect(200);
      else await reconcile();
      expect(stripeStatus(other)).toBe('expired');
      const rows = await rowsOf(ref);
      expect(rows.find((row) => row.stripeSessionId === other)?.state).toBe('expired');
      expect(rows.find((row) => row.stripeSessionId === paid)).toMatchObject({
        state: 'complete',
        refundRequired: false,
      });
    },
  );

  it('GET answers the open checkout even beside a newer-dated ended one', async () => {
    const body = salonCheckout();
    const ref = body.InternalReferenceId as string;
    const created = await create(body).expect(200);
    const ended = await rogueCheckout(t, ref, 'open');
    await t.emulator.expire(ended.sessionId!, { sendWebhook: false });
    await t.dataSource
      .getRepository(Checkout)
      .update(
        { id: ended.checkoutId },
        { state: 'expired', createdAt: new Date(Date.now() + 60_000) },
      );
    expect((await current(ref).expect(200)).body).toMatchObject({
      SessionId: created.body.SessionId,
      Status: 'open',
      Url: expect.any(String),
    });
  });

  it('reconciliation expires the extra open sessions and keeps the newest', async () => {
    const body = salonCheckout();
    const ref = body.InternalReferenceId as string;
    const created = await create(body).expect(200);
    const rogue = await rogueCheckout(t, ref, 'open');
    expect(openAtStripe(ref)).toHaveLength(2);
    await reconcile();
    expect(openAtStripe(ref)).toEqual([rogue.sessionId]);
    expect(stripeStatus(created.body.SessionId)).toBe('expired');
    expect((await rowsOf(ref)).map((row) => [row.stripeSessionId, row.state])).toEqual([
      [created.body.SessionId, 'expired'],
      [rogue.sessionId, 'open'],
    ]);
    expect((await current(ref).expect(200)).body.SessionId).toBe(rogue.sessionId);
  });

  it('reconciliation links a session whose answer was lost, after ending the older one', async () => {
    const body = salonCheckout();
    const ref = body.InternalReferenceId as string;
    const created = await create(body).expect(200);
    await t.dataSource
      .getRepository(Checkout)
      .update({ stripeSessionId: created.body.SessionId }, { updatedAt: new Date(0) });
    // Expired at Stripe before the crashed create made its session, as the create order does.
    await t.emulator.expire(created.body.SessionId, { sendWebhook: false });
    const lost = await rogueCheckout(t, ref, 'creating');
    await reconcile();
    expect(openAtStripe(ref)).toEqual([lost.sessionId]);
    const rows = await rowsOf(ref);
    expect(rows.map((row) => [row.stripeSessionId, row.state])).toEqual([
      [created.body.SessionId, 'expired'],
      [lost.sessionId, 'open'],
    ]);
    expect((await current(ref).expect(200)).body).toMatchObject({
      SessionId: lost.sessionId,
      Url: expect.any(String),
    });
  });

  it('the webhook, GETs and status calls applying one payment at once flag nothing', async () => {
    const payments = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const body = salonCheckout();
        const res = await create(body).expect(200);
        return { ref: body.InternalReferenceId as string, sessionId: res.body.SessionId as string };
      }),
    );
    for (const { sessionId } of payments) await t.emulator.pay(sessionId, { sendWebhook: false });
    await Promise.all(
      payments.flatMap(({ ref, sessionId }) => {
        const event = sessionEvent(
          t.emulator,
          sessionId,
          'checkout.session.completed',
          SALON_ACCOUNT,
        );
        return [
          deliver(event).expect(200),
          ...Array.from({ length: 4 }, () => current(ref).expect(200)),
          ...Array.from({ length: 4 }, () => status(sessionId).expect(200)),
        ];
      }),
    );
    for (const { ref, sessionId } of payments) {
      const [row] = await rowsOf(ref);
      expect(row).toMatchObject({
        stripeSessionId: sessionId,
        paymentStatus: 'paid',
        refundRequired: false,
      });
      expect((await payableOf(ref)).paidCheckoutId).toBe(row.id);
    }
  });
});
