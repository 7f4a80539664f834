import { ReadinessService } from '../../src/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { TEST_DB } from '../support/test-database.js';

const LIST_PATH = '^/v1/checkout/sessions$';

describe(`health and readiness (${TEST_DB})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterEach(() => t.emulator.clearFaults());
  afterAll(() => t.close());

  it('GET /health answers exactly {"Status":"ok"} while the database answers', async () => {
    const res = await t.http.get('/health').expect(200);
    expect(res.text).toBe('{"Status":"ok"}');
    expect(t.emulator.requests.filter((r) => r.method === 'GET')).toHaveLength(0);
  });

  it('?details=true reports the database and Stripe apart', async () => {
    const res = await t.http.get('/health').query({ details: 'true' }).expect(200);
    expect(res.body).toEqual({ Status: 'ok', Database: 'ok', Stripe: 'ok' });
    const probe = t.emulator.requests.filter((r) => r.method === 'GET').at(-1);
    expect(probe).toMatchObject({ path: '/v1/checkout/sessions', params: { limit: '1' } });
  });

  it.each([
    ['fails', '500'],
    ['hangs', 'hang'],
  ] as const)('Stripe %s: "Stripe":"unreachable", still 200 in bounded time', async (_, kind) => {
    t.emulator.injectFault({ method: 'GET', path: LIST_PATH, kind });
    const started = Date.now();
    const res = await t.http.get('/health?details=true').expect(200);
    expect(res.body).toEqual({ Status: 'ok', Database: 'ok', Stripe: 'unreachable' });
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('GET /health/ready is 200 until the instance starts shutting down, then 503', async () => {
    await t.http.get('/health/ready').expect(200, { Status: 'ready' });
    t.app.get(ReadinessService).markShuttingDown();
    const res = await t.http.get('/health/ready').expect(503);
    expect(res.body.ResponseStatus).toMatchObject({ ErrorCode: 'ServiceUnavailable', Errors: [] });
    // Liveness is another question: the instance still works while it drains.
    await t.http.get('/health').expect(200, { Status: 'ok' });
  });
});

describe(`health without a database (${TEST_DB})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('GET /health and ?details=true answer 503 with a ResponseStatus', async () => {
    await t.dataSource.destroy();
    for (const path of ['/health', '/health?details=true']) {
      const res = await t.http.get(path).expect(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body).toEqual({
        ResponseStatus: {
          ErrorCode: 'DatabaseUnavailable',
          Message: 'The database does not answer',
          Errors: [],
        },
      });
    }
  });
});

describe(`health probes and Stripe (${TEST_DB})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ module: { stripeHealthTtlMs: 60_000 } });
  });
  afterAll(() => t.close());

  it('asks Stripe once per ttl, however often it is probed', async () => {
    const lists = () =>
      t.emulator.requests.filter((r) => r.method === 'GET' && r.path === '/v1/checkout/sessions')
        .length;
    for (let i = 0; i < 5; i++) await t.http.get('/health?details=true').expect(200);
    expect(lists()).toBe(1);
  });
});
