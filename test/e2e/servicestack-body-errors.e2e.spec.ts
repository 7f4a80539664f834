import { SALON } from '../support/test-app.js';
import { TEST_DB } from '../support/test-database.js';
import { startStandaloneService, type StandaloneService } from '../support/swagger-app.js';

/** Body-parser errors happen before any route; the standalone app answers them as ResponseStatus. */
describe(`request bodies the parsers refuse (standalone, ${TEST_DB})`, () => {
  let s: StandaloneService;
  beforeAll(async () => {
    s = await startStandaloneService();
  });
  afterAll(() => s.close());

  const post = (path = '/payment/stripe/v1/checkout') =>
    s.http.post(path).set('x-api-key', 'demo-api-key');

  it.each(['/payment/stripe/v1/checkout', '/api/StripeV1CreateCheckout'])(
    'malformed JSON to %s is a 400 SerializationException that quotes nothing',
    async (path) => {
      const res = await post(path)
        .set('Content-Type', 'application/json')
        .send('{"CompanyId": "sk_test_secret123", oops')
        .expect(400);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.body).toEqual({
        ResponseStatus: {
          ErrorCode: 'SerializationException',
          Message: 'The request body could not be parsed',
          Errors: [],
        },
      });
    },
  );

  it('a JSON body over 100 kB is a 413 ResponseStatus', async () => {
    const body = JSON.stringify({ CompanyId: SALON, InternalReferenceId: 'x'.repeat(110_000) });
    const res = await post().set('Content-Type', 'application/json').send(body).expect(413);
    expect(res.body.ResponseStatus).toMatchObject({ ErrorCode: 'PayloadTooLarge', Errors: [] });
  });

  it('a form body over 100 kB is a 413 ResponseStatus', async () => {
    const res = await post()
      .type('form')
      .send(`CompanyId=${SALON}&InternalReferenceId=${'x'.repeat(110_000)}`)
      .expect(413);
    expect(res.body.ResponseStatus.ErrorCode).toBe('PayloadTooLarge');
  });

  it.each([
    ['application/json; charset=koi8-r', '{}'],
    ['application/x-www-form-urlencoded; charset=iso-8859-1', 'InternalReferenceId=bokning-%E5'],
  ])('an unsupported charset (%s) is a 415 ResponseStatus', async (contentType, body) => {
    const res = await post().set('Content-Type', contentType).send(body).expect(415);
    expect(res.body.ResponseStatus.ErrorCode).toBe('UnsupportedMediaType');
  });

  it('keeps the raw body for the webhook (its signature check still runs)', async () => {
    const res = await s.http
      .post('/payment/stripe/v1/webhook')
      .set('Content-Type', 'application/json')
      .send('{"id":"evt_1"}')
      .expect(400);
    expect(res.body.ResponseStatus.ErrorCode).not.toBe('SerializationException');
  });
});
