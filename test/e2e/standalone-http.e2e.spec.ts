import { startStandaloneService, type StandaloneService } from '../support/swagger-app.js';
import { TEST_ADAPTER } from '../support/test-app.js';
import { TEST_DB } from '../support/test-database.js';

describe(`the standalone service's HTTP surface (${TEST_DB}, ${TEST_ADAPTER})`, () => {
  let s: StandaloneService;
  beforeAll(async () => {
    s = await startStandaloneService();
  }, 30_000);
  afterAll(() => s.close());

  it('sends security headers', async () => {
    const res = await s.http.get('/health').expect(200);
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'strict-transport-security': expect.stringContaining('max-age='),
      'content-security-policy': expect.stringContaining("default-src 'self'"),
    });
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it.each([
    ['DELETE', '/payment/stripe/v1/checkout'],
    ['PUT', '/payment/stripe/v1/checkout'],
    ['PATCH', '/payment/stripe/v1/checkout/status'],
    ['GET', '/payment/stripe/v1/webhook'],
    ['GET', '/no/such/route'],
  ])('%s %s answers 404 with a ResponseStatus', async (method, path) => {
    const res = await s.http[method.toLowerCase() as 'get'](path).set('x-api-key', 'demo-api-key');
    expect([404, 405]).toContain(res.status);
    expect(res.body.ResponseStatus.ErrorCode).toMatch(/NotFound|MethodNotAllowed/);
  });
});
