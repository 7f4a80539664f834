import { Checkout, Payable } from '../../src/index.js';
import { ReconciliationService } from '../../src/reconciliation/reconciliation.service.js';
import {
  CLINIC,
  SALON,
  SALON_ACCOUNT,
  salonCheckout,
  startTestApp,
  type TestApp,
} from '../support/test-app.js';
import { emulatorStripe, insertCreatingWithSession } from '../support/stuck-checkout.js';
import { TEST_DB } from '../support/test-database.js';

describe(`queries and reconciliation (${TEST_DB})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const create = (body = salonCheckout()) =>
    t.http.post('/payment/stripe/v1/checkout').set('x-api-key', 'demo-api-key').send(body);
  const current = (ref: string, key = 'demo-api-key') =>
    t.http
      .get('/payment/stripe/v1/checkout')
      .query({ CompanyId: SALON, InternalReferenceId: ref })
      .set('x-api-key', key);
  const later = () => new Date(Date.now() + 10 * 60_000);
  const reconcile = () => t.app.get(ReconciliationService).reconcile(later());

  it('GET answers the current checkout, refreshed from Stripe', async () => {
    const body = salonCheckout();
    const created = await create(body).expect(200);
    const open = await current(body.InternalReferenceId as string).expect(200);
    expect(open.body).toMatchObject({
      SessionId: created.body.SessionId,
      Status: 'open',
      PaymentIntentId: null,
    });
    await t.emulator.pay(created.body.SessionId, { sendWebhook: false });
    const paid = await current(body.InternalReferenceId as string).expect(200);
    expect(paid.body).toMatchObject({
      SessionId: created.body.SessionId,
      Status: 'complete',
      PaymentIntentId: expect.stringMatching(/^pi_/),
      CustomerId: expect.stringMatching(/^cus_/),
      StripeAccount: SALON_ACCOUNT,
    });
    await create(body).expect(409);
  });

  it('GET is 404 for a payable without checkout and 403 for another company key', async () => {
    const res = await current('never-created').expect(404);
    expect(res.body.ResponseStatus.ErrorCode).toBe('CheckoutNotFound');
    await current('never-created', 'demo-api-key-2').expect(403);
  });

  it('status answers the customer email and status', async () => {
    const created = await create().expect(200);
    const status = () =>
      t.http
        .post('/payment/stripe/v1/checkout/status')
        .set('x-api-key', 'demo-api-key')
        .send({ CompanyId: SALON, SessionId: created.body.SessionId })
        .expect(200);
    expect((await status()).body).toEqual({ CustomerEmail: null, Status: 'open' });
    await t.emulator.pay(created.body.SessionId, {
      email: 'grace@example.com',
      sendWebhook: false,
    });
    expect((await status()).body).toEqual({
      CustomerEmail: 'grace@example.com',
      Status: 'complete',
    });
  });

  it("status with one company's key and CompanyId and another company's SessionId is 404", async () => {
    const clinic = await t.http
      .post('/payment/stripe/v1/checkout')
      .set('x-api-key', 'demo-api-key-2')
      .send({
        CompanyId: CLINIC,
        CountryCode: 'NO',
        Articles: [{ ArticleId: 1, ArticleTypeId: 1, Quantity: 1 }],
        InternalReferenceId: `clinic-${Date.now()}`,
      })
      .expect(200);
    const res = await t.http
      .post('/payment/stripe/v1/checkout/status')
      .set('x-api-key', 'demo-api-key')
      .send({ CompanyId: SALON, SessionId: clinic.body.SessionId })
      .expect(404);
    expect(res.body.ResponseStatus.Errors[0].FieldName).toBe('SessionId');
    expect(JSON.stringify(res.body)).not.toContain('@');
  });

  it('a retried create after a lost answer makes no second session', async () => {
    const body = salonCheckout();
    t.emulator.injectFault({
      method: 'POST',
      path: '^/v1/checkout/sessions$',
      kind: 'reset-after-create',
      times: 1,
    });
    const res = await create(body).expect(200);
    t.emulator.clearFaults();
    const sessions = t.emulator
      .sessions(SALON_ACCOUNT)
      .filter((s) => s.client_reference_id === body.InternalReferenceId);
    expect(sessions.map((s) => s.id)).toEqual([res.body.SessionId]);
    const row = await t.dataSource
      .getRepository(Checkout)
      .findOneByOrFail({ stripeSessionId: res.body.SessionId });
    expect(row.stripeRequest).toBeNull();
  });

  it('a create keeps the Stripe parameters only until the session exists', async () => {
    t.emulator.injectFault({ method: 'POST', path: '^/v1/checkout/sessions$', kind: 'hold' });
    const request = create().then((res) => res);
    const stripeCall = await t.emulator.waitForHeld();
    // While Stripe creates the session, the write-ahead row holds what to replay after a crash.
    const writeAhead = await t.dataSource
      .getRepository(Checkout)
      .findOneByOrFail({ idempotencyKey: stripeCall.idempotencyKey as string });
    expect(writeAhead.state).toBe('creating');
    expect(JSON.parse(writeAhead.stripeRequest as string)).toMatchObject({ mode: 'payment' });
    stripeCall.release();
    const res = await request;
    expect(res.status).toBe(200);
    const row = await t.dataSource.getRepository(Checkout).findOneByOrFail({ id: writeAhead.id });
    expect(row).toMatchObject({
      state: 'open',
      stripeSessionId: res.body.SessionId,
      stripeRequest: null,
    });
  });

  it('a row left creating by a crash after Stripe created the session is linked to it', async () => {
    // Simulate the crash: the write-ahead row exists and Stripe created the session, but the
    // process died before storing Stripe's answer.
    const ref = `crash-${Date.now()}`;
    const { checkoutId, sessionId } = await insertCreatingWithSession(t, emulatorStripe(t), ref);
    const created = { id: sessionId };

    // Two instances reconciling at once: one of them replays the create (under the payable's
    // lease), the other finds it linked already.
    await Promise.all([reconcile(), reconcile()]);
    const replays = t.emulator.requests.filter(
      (r) => r.path === '/v1/checkout/sessions' && r.idempotencyKey === `checkout-${checkoutId}`,
    );
    expect(replays).toHaveLength(2);
    const sessions = t.emulator
      .sessions(SALON_ACCOUNT)
      .filter((s) => s.client_reference_id === ref);
    expect(sessions.map((s) => [s.id, s.status])).toEqual([[created.id, 'open']]);
    const settled = await t.dataSource.getRepository(Checkout).findOneByOrFail({ id: checkoutId });
    // The create's parameters were kept only to replay it: dropped once the session is linked.
    expect(settled).toMatchObject({
      stripeSessionId: created.id,
      state: 'open',
      stripeRequest: null,
    });
    // The GET now shows Stripe's open session.
    const res = await current(ref).expect(200);
    expect(res.body).toMatchObject({
      SessionId: created.id,
      Status: 'open',
      Url: expect.any(String),
    });
  });

  it('an open checkout paid without a webhook ends up complete', async () => {
    const body = salonCheckout();
    const created = await create(body).expect(200);
    await t.emulator.pay(created.body.SessionId, { sendWebhook: false });
    await reconcile();
    const row = await t.dataSource
      .getRepository(Checkout)
      .findOneByOrFail({ stripeSessionId: created.body.SessionId });
    expect(row).toMatchObject({ state: 'complete', paymentStatus: 'paid' });
    const payable = await t.dataSource
      .getRepository(Payable)
      .findOneByOrFail({ internalReferenceId: body.InternalReferenceId as string });
    expect(payable.paidCheckoutId).toBe(row.id);
  });

  it('a delayed payment whose failure event was lost is settled failed, and frees the payable', async () => {
    const body = salonCheckout();
    const created = await create(body).expect(200);
    await t.emulator.pay(created.body.SessionId, { async: true, sendWebhook: false });
    await t.emulator.settleAsyncPayment(created.body.SessionId, 'failed', { sendWebhook: false });
    await current(body.InternalReferenceId as string).expect(200);
    await create(body).expect(409);
    await reconcile();
    const row = await t.dataSource
      .getRepository(Checkout)
      .findOneByOrFail({ stripeSessionId: created.body.SessionId });
    expect(row).toMatchObject({ state: 'failed', paymentStatus: 'unpaid' });
    await create(body).expect(200);
  });
});
