import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Redis } from 'ioredis';
import { Company, type PaymentsAuthGuard, type PaymentsCaller } from '../../src/index.js';
import {
  CLINIC,
  NO_STRIPE,
  SALON,
  salonCheckout,
  startTestApp,
  type TestApp,
} from '../support/test-app.js';
import { TEST_DB } from '../support/test-database.js';

const CREATE = '/payment/stripe/v1/checkout';
const clinicCheckout = (overrides: Record<string, unknown> = {}) =>
  salonCheckout({
    CompanyId: CLINIC,
    CountryCode: 'NO',
    Articles: [{ ArticleId: 1, ArticleTypeId: 1, Quantity: 1 }],
    ...overrides,
  });

describe(`tenant isolation and hostile input (${TEST_DB})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await t.dataSource
      .getRepository(Company)
      .update({ id: CLINIC }, { redirectHostAllowlist: ['shop.example.com'] });
  });
  afterAll(() => t.close());

  const stripeCalls = () => t.emulator.requests.length;

  it.each([
    ['no key', undefined],
    ['an unknown key', 'not-a-key'],
    ['a Stripe-looking key', 'sk_test_123'],
  ])('%s → 401', async (_name, key) => {
    const req = t.http.post(CREATE).send(salonCheckout());
    const res = await (key ? req.set('x-api-key', key) : req).expect(401);
    expect(res.body.ResponseStatus.ErrorCode).toBe('Unauthorized');
  });

  it.each([
    ['create', () => t.http.post(CREATE).send(salonCheckout())],
    ['GET', () => t.http.get(CREATE).query({ CompanyId: SALON, InternalReferenceId: 'x' })],
    [
      'status',
      () => t.http.post(`${CREATE}/status`).send({ CompanyId: SALON, SessionId: 'cs_test_x' }),
    ],
    [
      'create, camelCase CompanyId',
      () =>
        t.http.post(CREATE).send({ ...salonCheckout(), CompanyId: undefined, companyId: SALON }),
    ],
    [
      'GET with its own CompanyId in a body and the other in the query',
      () =>
        t.http
          .get(CREATE)
          .query({ CompanyId: SALON, InternalReferenceId: 'x' })
          .send({ CompanyId: CLINIC }),
    ],
    [
      'the predefined GET route with its own CompanyId in a body',
      () =>
        t.http
          .get('/api/GetStripeV1Checkout')
          .query({ CompanyId: SALON, InternalReferenceId: 'x' })
          .send({ CompanyId: CLINIC }),
    ],
  ])("another company's key on %s → 403 and no Stripe call", async (_name, request) => {
    const before = stripeCalls();
    const res = await request().set('x-api-key', 'demo-api-key-2').expect(403);
    expect(res.body.ResponseStatus.ErrorCode).toBe('Forbidden');
    expect(stripeCalls()).toBe(before);
  });

  it('the platform key works for every company', async () => {
    await t.http
      .post(CREATE)
      .set('x-api-key', 'demo-platform-key')
      .send(salonCheckout())
      .expect(200);
    await t.http
      .post(CREATE)
      .set('x-api-key', 'demo-platform-key')
      .send(clinicCheckout())
      .expect(200);
    await t.http
      .post(CREATE)
      .set('x-api-key', 'demo-platform-key')
      .send(salonCheckout({ CompanyId: NO_STRIPE }))
      .expect(400);
  });

  it.each(['Amount', 'Currency', 'StripeAccount', 'Status', 'SessionId'])(
    'an extra %s field is a 400 naming it, and nothing reaches Stripe',
    async (field) => {
      const before = stripeCalls();
      const res = await t.http
        .post(CREATE)
        .set('x-api-key', 'demo-api-key')
        .send(salonCheckout({ [field]: field === 'Amount' ? 1 : 'acct_evil' }))
        .expect(400);
      expect(res.body.ResponseStatus.Errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ FieldName: field })]),
      );
      expect(stripeCalls()).toBe(before);
    },
  );

  it('an extra field inside an article is a 400', async () => {
    const res = await t.http
      .post(CREATE)
      .set('x-api-key', 'demo-api-key')
      .send(
        salonCheckout({
          Articles: [{ ArticleId: 1, ArticleTypeId: 1, Quantity: 1, UnitAmount: 1 }],
        }),
      )
      .expect(400);
    expect(res.body.ResponseStatus.Errors[0].FieldName).toBe('Articles[0].UnitAmount');
  });

  it.each([
    'javascript:alert(1)',
    'data:text/html,x',
    '//evil.com',
    'https://ok.com@evil.com',
    'https://ok.com\\@evil.com',
    'https://169.254.169.254/latest/meta-data',
    'http://example.com/not-https',
    `https://example.com/${'a'.repeat(2100)}`,
  ])('ConfirmationUrl %s → 400', async (url) => {
    const res = await t.http
      .post(CREATE)
      .set('x-api-key', 'demo-api-key')
      .send(salonCheckout({ ConfirmationUrl: url }))
      .expect(400);
    expect(res.body.ResponseStatus.Errors[0].FieldName).toBe('ConfirmationUrl');
  });

  it("holds redirect URLs to the company's allowlist", async () => {
    const clinic = (url: string) =>
      t.http
        .post(CREATE)
        .set('x-api-key', 'demo-api-key-2')
        .send(clinicCheckout({ CancelUrl: url }));
    await clinic('https://shop.example.com/cancel').expect(200);
    const res = await clinic('https://elsewhere.example.com/cancel').expect(400);
    expect(res.body.ResponseStatus.Errors[0]).toMatchObject({
      FieldName: 'CancelUrl',
      ErrorCode: 'RedirectUrlNotAllowed',
    });
  });

  it('a JSON body over 100 kB is a 413', async () => {
    const res = await t.http
      .post(CREATE)
      .set('x-api-key', 'demo-api-key')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(salonCheckout({ InternalReferenceId: 'x'.repeat(120_000) })));
    expect(res.status).toBe(413);
  });

  it('deep nesting and huge arrays are refused, and the service stays up', async () => {
    const deep = `{"CompanyId":"${SALON}","Articles":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const nested = await t.http
      .post(CREATE)
      .set('x-api-key', 'demo-api-key')
      .set('Content-Type', 'application/json')
      .send(deep);
    expect([400, 413]).toContain(nested.status);
    const many = Array.from({ length: 3000 }, () => ({
      ArticleId: 1,
      ArticleTypeId: 1,
      Quantity: 1,
    }));
    const huge = await t.http
      .post(CREATE)
      .set('x-api-key', 'demo-api-key')
      .send(salonCheckout({ Articles: many }));
    expect([400, 413]).toContain(huge.status);
    await t.http.get('/health').expect(200);
  });
});

/** A host's own authentication: its users, each allowed some companies. */
@Injectable()
class HostUserGuard implements PaymentsAuthGuard {
  authenticate(context: ExecutionContext): PaymentsCaller | undefined {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string> }>();
    const user = request.headers['x-host-user'];
    if (user === 'admin') return { id: 'user:admin', companies: '*' };
    if (user === 'salon-staff') return { id: 'user:salon-staff', companies: [SALON] };
    return undefined;
  }
}

describe(`a host app's own guard (${TEST_DB})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ module: { authGuard: HostUserGuard } });
  });
  afterAll(() => t.close());

  it('replaces the x-api-key check', async () => {
    await t.http.post(CREATE).set('x-host-user', 'admin').send(salonCheckout()).expect(200);
    await t.http.post(CREATE).set('x-api-key', 'demo-api-key').send(salonCheckout()).expect(401);
  });

  it('keeps tenant isolation on the bound request, in any spelling, before any Stripe call', async () => {
    const before = t.emulator.requests.length;
    const clinic = clinicCheckout();
    const staff = () => t.http.post(CREATE).set('x-host-user', 'salon-staff');
    await staff().send(clinic).expect(403);
    const { CompanyId, ...rest } = clinic;
    await staff()
      .send({ ...rest, companyid: CompanyId })
      .expect(403);
    await t.http
      .post('/api/StripeV1CreateCheckout')
      .set('x-host-user', 'salon-staff')
      .send(clinic)
      .expect(403);
    await t.http
      .get(CREATE)
      .set('x-host-user', 'salon-staff')
      .query({ CompanyId: CLINIC, InternalReferenceId: 'x' })
      .send({ CompanyId: SALON })
      .expect(403);
    expect(t.emulator.requests.length).toBe(before);
    await staff().send(salonCheckout()).expect(200);
  });
});

describe(`rate limits (${TEST_DB})`, () => {
  const redisUrl = 'redis://127.0.0.1:6379/7';
  let first: TestApp;
  let second: TestApp;
  beforeAll(async () => {
    const redis = new Redis(redisUrl);
    await redis.flushdb();
    redis.disconnect();
    const rateLimit = { perKey: 8, perPayable: 3, windowMs: 60_000, redisUrl };
    first = await startTestApp({ module: { rateLimit } });
    second = await startTestApp({ db: first.db, emulator: first.emulator, module: { rateLimit } });
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  it('limits one payable across two instances, with Retry-After', async () => {
    const body = clinicCheckout();
    const statuses: number[] = [];
    for (const app of [first, second, first, second]) {
      const res = await app.http.post(CREATE).set('x-api-key', 'demo-api-key-2').send(body);
      statuses.push(res.status);
      if (res.status === 429) {
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        expect(res.body.ResponseStatus.ErrorCode).toBe('TooManyRequests');
      }
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('limits one API key across two instances', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const app = i % 2 ? second : first;
      const res = await app.http
        .get(CREATE)
        .set('x-api-key', 'demo-api-key')
        .query({ CompanyId: SALON, InternalReferenceId: `none-${i}` });
      statuses.push(res.status);
    }
    expect(statuses.filter((s) => s === 404)).toHaveLength(8);
    expect(statuses.slice(8)).toEqual([429, 429]);
  });
});

describe(`a host's global pipe that replaces the operation's request (${TEST_DB})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      // A careless host pipe: it turns every value into a plain object, custom decorators' too.
      configure: (app) =>
        app.useGlobalPipes({
          transform: (value: unknown) => ({ ...(value as object), CompanyId: CLINIC }),
        }),
    });
  });
  afterAll(() => t.close());

  it('cannot skip binding, the tenant check and validation: the request is refused', async () => {
    const before = t.emulator.requests.length;
    const res = await t.http.post(CREATE).set('x-api-key', 'demo-api-key').send(salonCheckout());
    expect(res.status).toBe(500);
    expect(res.body.ResponseStatus.ErrorCode).toBe('InternalServerError');
    expect(t.emulator.requests.length).toBe(before);
  });
});
