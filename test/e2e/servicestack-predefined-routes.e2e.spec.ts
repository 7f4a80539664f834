import { ServiceStackOperationRegistry } from '../../src/servicestack/operation-registry.js';
import { CLINIC, SALON, salonCheckout, startTestApp, type TestApp } from '../support/test-app.js';
import { TEST_DB } from '../support/test-database.js';

const KEY = 'demo-api-key';
const PREFIXES = ['/api', '/json/reply'];

describe(`ServiceStack predefined routes (${TEST_DB})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('registers every operation of the module', () => {
    expect(t.app.get(ServiceStackOperationRegistry).names()).toEqual([
      'CreateWebhookEndpoint',
      'DeleteWebhookEndpoint',
      'GetPaymentEvents',
      'GetStripeCheckoutV1CheckoutStatus',
      'GetStripeV1Checkout',
      'GetWebhookEndpoint',
      'ListWebhookEndpointAttempts',
      'ListWebhookEndpoints',
      'RecoverWebhookEndpoint',
      'ResendWebhookEvent',
      'RotateWebhookEndpointSecret',
      'StripeV1CreateCheckout',
      'UpdateWebhookEndpoint',
    ]);
  });

  it.each(PREFIXES)(
    '%s/StripeV1CreateCheckout creates a checkout like the custom route',
    async (prefix) => {
      const body = salonCheckout();
      const res = await t.http
        .post(`${prefix}/StripeV1CreateCheckout`)
        .set('x-api-key', KEY)
        .send(body)
        .expect(200);
      expect(res.body).toMatchObject({
        SessionId: expect.stringMatching(/^cs_/),
        Status: 'open',
        CustomerId: null,
      });
      const session = t.emulator.sessions().find((s) => s.id === res.body.SessionId);
      expect(session?.client_reference_id).toBe(body.InternalReferenceId);
    },
  );

  it.each(PREFIXES)('%s serves the GET and status operations too', async (prefix) => {
    const body = salonCheckout();
    const created = await t.http
      .post('/payment/stripe/v1/checkout')
      .set('x-api-key', KEY)
      .send(body)
      .expect(200);
    const current = await t.http
      .get(`${prefix}/GetStripeV1Checkout`)
      .query({ CompanyId: SALON, InternalReferenceId: body.InternalReferenceId })
      .set('x-api-key', KEY)
      .expect(200);
    expect(current.body.SessionId).toBe(created.body.SessionId);
    const viaPost = await t.http
      .post(`${prefix}/GetStripeV1Checkout`)
      .send({ CompanyId: SALON, InternalReferenceId: body.InternalReferenceId })
      .set('x-api-key', KEY)
      .expect(200);
    expect(viaPost.body.SessionId).toBe(created.body.SessionId);
    const status = await t.http
      .post(`${prefix}/GetStripeCheckoutV1CheckoutStatus`)
      .send({ CompanyId: SALON, SessionId: created.body.SessionId })
      .set('x-api-key', KEY)
      .expect(200);
    expect(status.body).toEqual({ CustomerEmail: null, Status: 'open' });
  });

  it('matches the operation name case-insensitively and accepts the .json suffix', async () => {
    for (const name of ['stripev1createcheckout', 'StripeV1CreateCheckout.json']) {
      const res = await t.http.post(`/api/${name}`).set('x-api-key', KEY).send(salonCheckout());
      expect([name, res.status]).toEqual([name, 200]);
    }
  });

  it('GET binds the query string, lists in JSV, and wraps JSONP', async () => {
    const res = await t.http
      .get('/api/StripeV1CreateCheckout')
      .query({
        CompanyId: SALON,
        CountryCode: 'SE',
        Articles: '[{ArticleId:1,ArticleTypeId:1,Quantity:2}]',
        InternalReferenceId: `get-${Date.now()}`,
        callback: 'done',
      })
      .set('x-api-key', KEY)
      .expect(200);
    expect(res.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(res.text).toMatch(/^done\(\{"SessionId":"cs_/);
  });

  it('runs authentication before validation, as the custom route does', async () => {
    const anonymous = await t.http.post('/api/StripeV1CreateCheckout').send({}).expect(401);
    expect(anonymous.body.ResponseStatus.ErrorCode).toBe('Unauthorized');
    const bad = await t.http
      .post('/json/reply/StripeV1CreateCheckout')
      .set('x-api-key', 'nope')
      .send({})
      .expect(401);
    expect(bad.body.ResponseStatus.ErrorCode).toBe('Unauthorized');
    const before = t.emulator.sessions().length;
    const foreign = await t.http
      .post('/api/StripeV1CreateCheckout')
      .set('x-api-key', 'demo-api-key-2')
      .send(salonCheckout())
      .expect(403);
    expect(foreign.body.ResponseStatus.ErrorCode).toBe('Forbidden');
    const foreignGet = await t.http
      .get('/api/GetStripeV1Checkout')
      .query({ companyid: SALON, InternalReferenceId: 'x' })
      .set('x-api-key', 'demo-api-key-2')
      .expect(403);
    expect(foreignGet.body.ResponseStatus.ErrorCode).toBe('Forbidden');
    expect(t.emulator.sessions()).toHaveLength(before);
  });

  it('validates with the module pipe and names fields PascalCase', async () => {
    const res = await t.http
      .post('/api/StripeV1CreateCheckout')
      .set('x-api-key', KEY)
      .send(
        salonCheckout({
          Articles: [{ articleId: 1, ArticleTypeId: 1, Quantity: 1001 }],
          Amount: 5,
        }),
      )
      .expect(400);
    const fields = res.body.ResponseStatus.Errors.map((e: { FieldName: string }) => e.FieldName);
    expect(fields.sort()).toEqual(['Amount', 'Articles[0].Quantity']);
  });

  it('answers an unknown operation with a 404 ResponseStatus', async () => {
    for (const path of [
      '/api/Nope',
      '/json/reply/CreateRefund',
      '/api/constructor',
      '/api/__proto__',
    ]) {
      const res = await t.http.post(path).set('x-api-key', KEY).send({});
      expect([path, res.status, res.body.ResponseStatus?.ErrorCode]).toEqual([
        path,
        404,
        'NotFound',
      ]);
    }
  });

  it('maps domain errors through the module filter', async () => {
    const res = await t.http
      .post('/api/StripeV1CreateCheckout')
      .set('x-api-key', 'demo-platform-key')
      .send(
        salonCheckout({
          CompanyId: CLINIC,
          Articles: [{ ArticleId: 2, ArticleTypeId: 1, Quantity: 1 }],
        }),
      )
      .expect(404);
    expect(res.body.ResponseStatus.ErrorCode).toBe('ArticleNotFound');
  });
});

describe(`predefinedRoutes: false (${TEST_DB})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ module: { predefinedRoutes: false } });
  });
  afterAll(() => t.close());

  it('leaves /api and /json/reply unrouted, the custom routes serving', async () => {
    await t.http
      .post('/api/StripeV1CreateCheckout')
      .set('x-api-key', KEY)
      .send(salonCheckout())
      .expect(404);
    await t.http
      .post('/json/reply/StripeV1CreateCheckout')
      .set('x-api-key', KEY)
      .send(salonCheckout())
      .expect(404);
    await t.http
      .post('/payment/stripe/v1/checkout')
      .set('x-api-key', KEY)
      .send(salonCheckout())
      .expect(200);
  });
});
