import { CLINIC, SALON, salonCheckout, startTestApp, type TestApp } from '../support/test-app.js';
import { RESPONSE_KEYS } from '../support/checkout-rows.js';
import { TEST_DB } from '../support/test-database.js';

const KEY = 'demo-api-key';
const CHECKOUT = '/payment/stripe/v1/checkout';

const fieldsOf = (body: { ResponseStatus: { Errors: { FieldName: string }[] } }) =>
  body.ResponseStatus.Errors.map((error) => error.FieldName);

const ref = () => `wire-${Math.random().toString(36).slice(2, 10)}`;

describe(`ServiceStack wire format (${TEST_DB})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const post = (path: string, key = KEY) => t.http.post(path).set('x-api-key', key);

  describe('names', () => {
    it('binds request properties case-insensitively, also nested', async () => {
      const res = await post(CHECKOUT)
        .send({
          companyId: SALON,
          countrycode: 'se',
          ARTICLES: [{ articleId: 1, articletypeid: 1, quantity: 2 }],
          internalReferenceId: ref(),
          uiMode: 'Hosted',
        })
        .expect(200);
      expect(Object.keys(res.body).sort()).toEqual(RESPONSE_KEYS);
      expect(res.body).toMatchObject({
        SessionId: expect.stringMatching(/^cs_/),
        CustomerId: null,
      });
    });

    it('names nested errors by the DTO spelling, whatever the client sent', async () => {
      const res = await post(CHECKOUT)
        .send(salonCheckout({ Articles: [{ articleid: 1, ArticleTypeId: 1, QUANTITY: 0 }] }))
        .expect(400);
      expect(fieldsOf(res.body)).toEqual(['Articles[0].Quantity']);
    });

    it.each([
      ['Amount', { Amount: 1 }],
      ['amount', { amount: 1 }],
      [
        'Articles[0].Price',
        { Articles: [{ ArticleId: 1, ArticleTypeId: 1, Quantity: 1, Price: 1 }] },
      ],
    ])('rejects the unknown field %s', async (field, overrides) => {
      const res = await post(CHECKOUT).send(salonCheckout(overrides)).expect(400);
      expect(fieldsOf(res.body)).toEqual([field]);
      expect(res.body.ResponseStatus.ErrorCode).toBe('NotAllowed');
    });

    it('rejects two spellings of one property instead of guessing', async () => {
      const res = await post(CHECKOUT, 'demo-platform-key')
        .send({ ...salonCheckout(), companyId: CLINIC })
        .expect(400);
      expect(fieldsOf(res.body)).toEqual(['companyId']);
    });

    it('keeps a JSON string a string: "2" for a number is a 400', async () => {
      const articles = [{ ArticleId: 1, ArticleTypeId: 1, Quantity: '2' }];
      const res = await post(CHECKOUT)
        .send(salonCheckout({ Articles: articles }))
        .expect(400);
      expect(fieldsOf(res.body)).toContain('Articles[0].Quantity');
    });
  });

  describe('formats', () => {
    it('answers JSON to Accept: application/json, ?format=json and the .json suffix', async () => {
      for (const path of [
        CHECKOUT,
        `${CHECKOUT}?format=json`,
        `${CHECKOUT}.json`,
        `${CHECKOUT}.json?format=JSON`,
      ]) {
        const res = await post(path).set('Accept', 'application/json').send(salonCheckout());
        expect([path, res.status, res.headers['content-type']]).toEqual([
          path,
          200,
          'application/json; charset=utf-8',
        ]);
        expect(res.body.SessionId).toMatch(/^cs_/);
      }
    });

    it('serves every route with the .json suffix', async () => {
      const body = salonCheckout();
      const created = await post(`${CHECKOUT}.json`).send(body).expect(200);
      const query = { CompanyId: SALON, InternalReferenceId: body.InternalReferenceId as string };
      const current = await t.http
        .get(`${CHECKOUT}.json`)
        .query(query)
        .set('x-api-key', KEY)
        .expect(200);
      expect(current.body.SessionId).toBe(created.body.SessionId);
      const status = await post(`${CHECKOUT}/status.json`)
        .send({ CompanyId: SALON, SessionId: created.body.SessionId })
        .expect(200);
      expect(status.body).toEqual({ CustomerEmail: null, Status: 'open' });
    });

    it('refuses another ?format before anything runs', async () => {
      const before = t.emulator.sessions().length;
      const res = await post(`${CHECKOUT}?format=xml`).send(salonCheckout()).expect(406);
      expect(res.body.ResponseStatus.ErrorCode).toBe('NotAcceptable');
      expect(t.emulator.sessions()).toHaveLength(before);
    });

    it('wraps a GET in the ?callback as JSONP', async () => {
      const body = salonCheckout();
      const created = await post(CHECKOUT).send(body).expect(200);
      const res = await t.http
        .get(CHECKOUT)
        .query({
          CompanyId: SALON,
          InternalReferenceId: body.InternalReferenceId,
          callback: 'app.on_done$1',
        })
        .set('x-api-key', KEY)
        .buffer(true)
        .parse((response, done) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => done(null, text));
        })
        .expect(200);
      expect(res.headers['content-type']).toBe('application/javascript; charset=utf-8');
      const match = /^app\.on_done\$1\((.*)\)$/s.exec(res.body as string);
      expect(JSON.parse(match![1])).toMatchObject({
        SessionId: created.body.SessionId,
        CustomerId: null,
      });
    });

    it.each(['alert(1)', 'a;b', 'x y', '<script>', ''])(
      'refuses the callback name %j',
      async (callback) => {
        const res = await t.http
          .get(CHECKOUT)
          .query({ CompanyId: SALON, InternalReferenceId: 'x', callback })
          .set('x-api-key', KEY)
          .expect(400);
        expect(res.body.ResponseStatus.Errors[0]).toMatchObject({
          FieldName: 'callback',
          ErrorCode: 'RegularExpression',
        });
      },
    );
  });
});
