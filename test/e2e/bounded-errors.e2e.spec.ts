import { sendRaw } from '../support/raw-http.js';
import {
  SALON,
  salonCheckout,
  startTestApp,
  TEST_ADAPTER,
  type TestApp,
} from '../support/test-app.js';
import { TEST_DB } from '../support/test-database.js';

const CREATE = '/payment/stripe/v1/checkout';
const MAX_ERRORS = 20;
const MAX_BYTES = 32 * 1024;

/** Item 10 of issue 10: error bodies are bounded, and protocol refusals are ResponseStatus too. */
describe(`bounded error bodies (${TEST_DB}, ${TEST_ADAPTER})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const expectBounded = (res: { status: number; text: string; body: unknown }) => {
    expect(res.status).toBe(400);
    expect(Buffer.byteLength(res.text)).toBeLessThanOrEqual(MAX_BYTES);
    const status = (res.body as { ResponseStatus: { Errors: unknown[] } }).ResponseStatus;
    expect(status.Errors.length).toBeGreaterThan(0);
    expect(status.Errors.length).toBeLessThanOrEqual(MAX_ERRORS);
    return status;
  };
  const unknownFields = (count: number, name = (i: number) => `UnknownField${i}`) =>
    Object.fromEntries(Array.from({ length: count }, (_, i) => [name(i), 1]));

  it('3,000 unknown fields in a 53 KB body get 20 field errors, not 300 KB', async () => {
    const body = { ...salonCheckout(), ...unknownFields(3000) };
    expect(JSON.stringify(body).length).toBeGreaterThan(50_000);
    const res = await t.http.post(CREATE).set('x-api-key', 'demo-api-key').send(body);
    const status = expectBounded(res);
    expect(status).toMatchObject({
      ErrorCode: 'NotAllowed',
      Errors: expect.arrayContaining([expect.objectContaining({ FieldName: 'UnknownField0' })]),
      Meta: { TotalErrors: '3000' },
    });
  });

  it.each([
    ['one 90 KB name', unknownFields(1, () => 'x'.repeat(90_000))],
    ['names JSON escapes six-fold', unknownFields(40, (i) => `${'\u0001'.repeat(350)}${i}`)],
    ['names of three-byte characters', unknownFields(40, (i) => `${'€'.repeat(700)}${i}`)],
  ])('unknown fields with %s stay within 32 KB', async (_name, fields) => {
    const res = await t.http
      .post(CREATE)
      .set('x-api-key', 'demo-api-key')
      .send({ ...salonCheckout(), ...fields });
    expectBounded(res);
  });

  it('900 unknown fields of a form stay within 20 errors', async () => {
    const form = Array.from({ length: 900 }, (_, i) => `F${i}=1`).join('&');
    const res = await t.http
      .post(`${CREATE}/status`)
      .set('x-api-key', 'demo-api-key')
      .type('form')
      .send(`CompanyId=${SALON}&SessionId=cs_test_1&${form}`);
    expectBounded(res);
  });

  it('unknown query parameters stay within 20 errors', async () => {
    const query = Array.from({ length: 1000 }, (_, i) => `Q${i}=1`).join('&');
    const res = await t.http
      .get(`${CREATE}?CompanyId=${SALON}&InternalReferenceId=x&${query}`)
      .set('x-api-key', 'demo-api-key');
    expectBounded(res);
  });
});

describe(`protocol-level refusals as ResponseStatus (${TEST_DB}, ${TEST_ADAPTER})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const longName = 'x'.repeat(200);
  const refusals: [name: string, bytes: string, status: number, code: string][] = [
    [
      'headers over 16 kB',
      `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
      'RequestHeaderFieldsTooLarge',
    ],
    [
      'a request line over 16 kB',
      `GET /health?x=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
      431,
      'RequestHeaderFieldsTooLarge',
    ],
    [
      'a bad chunk size',
      `POST ${CREATE} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
      400,
      'BadRequest',
    ],
    [
      'Content-Length with Transfer-Encoding',
      `POST ${CREATE} HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
      400,
      'BadRequest',
    ],
    ['an unknown method', 'BREW /health HTTP/1.1\r\nHost: x\r\n\r\n', 400, 'BadRequest'],
    [
      'a header name with a space',
      'GET /health HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n',
      400,
      'BadRequest',
    ],
    ['no HTTP at all', 'hello\r\n\r\n', 400, 'BadRequest'],
    [
      'HTTP/1.1 without Host',
      'GET /health HTTP/1.1\r\nConnection: close\r\n\r\n',
      400,
      'BadRequest',
    ],
    [
      'a malformed percent-escape in the path',
      `POST /api/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`,
      400,
      'BadRequest',
    ],
    [
      'a path segment over 100 characters (Fastify: 414)',
      `POST /api/${longName} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`,
      TEST_ADAPTER === 'fastify' ? 414 : 404,
      TEST_ADAPTER === 'fastify' ? 'UriTooLong' : 'NotFound',
    ],
  ];
  it.each(refusals.map(([name, bytes, status, code]) => [name, status, code, bytes] as const))(
    '%s → %s ResponseStatus',
    async (_name, status, code, bytes) => {
      const res = await sendRaw(t.url, bytes);
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.json).toEqual({
        ResponseStatus: { ErrorCode: code, Message: expect.any(String), Errors: [] },
      });
      expect(Buffer.byteLength(res.text)).toBeLessThanOrEqual(MAX_BYTES);
    },
  );

  it('the service answers normally afterwards', async () => {
    await t.http.get('/health').expect(200);
  });
});
