import { CLINIC, SALON, startTestApp, type TestApp } from '../support/test-app.js';
import { TEST_DB } from '../support/test-database.js';

const KEY = 'demo-api-key';
const CHECKOUT = '/payment/stripe/v1/checkout';
const FORM = 'application/x-www-form-urlencoded';

const fieldsOf = (body: { ResponseStatus: { Errors: { FieldName: string }[] } }) =>
  body.ResponseStatus.Errors.map((error) => error.FieldName);

/** A form body from ordered pairs, encoded as a browser or a ServiceStack client would. */
const form = (pairs: [string, string][]) => new URLSearchParams(pairs).toString();

const ref = () => `form-${Math.random().toString(36).slice(2, 10)}`;

describe(`application/x-www-form-urlencoded bodies (${TEST_DB})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const post = (path: string, key = KEY) => t.http.post(path).set('x-api-key', key);

  const head: [string, string][] = [
    ['CompanyId', SALON],
    ['CountryCode', 'SE'],
  ];

  it.each<[string, [string, string][]]>([
    [
      'brackets',
      [
        ['Articles[0][ArticleId]', '1'],
        ['Articles[0][ArticleTypeId]', '1'],
        ['Articles[0][Quantity]', '2'],
        ['Articles[1][ArticleId]', '2'],
        ['Articles[1][ArticleTypeId]', '1'],
        ['Articles[1][Quantity]', '1'],
      ],
    ],
    [
      'dots',
      [
        ['Articles[0].ArticleId', '1'],
        ['Articles[0].ArticleTypeId', '1'],
        ['Articles[0].Quantity', '2'],
        ['Articles[1].articleId', '2'],
        ['Articles[1].articleTypeId', '1'],
        ['Articles[1].quantity', '1'],
      ],
    ],
    [
      'JSV',
      [
        [
          'Articles',
          '[{ArticleId:1,ArticleTypeId:1,Quantity:2},{ArticleId:2,ArticleTypeId:1,Quantity:1}]',
        ],
      ],
    ],
    [
      'a JSON array',
      [
        [
          'Articles',
          '[{"ArticleId":1,"ArticleTypeId":1,"Quantity":2},{"ArticleId":"2","ArticleTypeId":1,"Quantity":1}]',
        ],
      ],
    ],
  ])('binds the Articles list written with %s', async (_name, articles) => {
    const reference = ref();
    const res = await post(CHECKOUT)
      .type(FORM)
      .send(form([...head, ...articles, ['InternalReferenceId', reference]]))
      .expect(200);
    const session = t.emulator.sessions().find((s) => s.id === res.body.SessionId);
    expect(session).toMatchObject({ amount_total: 110000, client_reference_id: reference });
  });

  it('names a form value that is not a number', async () => {
    const articles: [string, string][] = [
      ['Articles[0][ArticleId]', '1'],
      ['Articles[0][ArticleTypeId]', '1'],
      ['Articles[0][Quantity]', 'two'],
    ];
    const res = await post(CHECKOUT)
      .type(FORM)
      .send(form([...head, ...articles, ['InternalReferenceId', ref()]]))
      .expect(400);
    expect(fieldsOf(res.body)).toContain('Articles[0].Quantity');
  });

  it('a malformed JSV list is a 400 naming Articles', async () => {
    const res = await post(CHECKOUT)
      .type(FORM)
      .send(form([...head, ['Articles', '[{ArticleId:1'], ['InternalReferenceId', ref()]]))
      .expect(400);
    expect(fieldsOf(res.body)).toContain('Articles');
  });

  it.each(['.CompanyId', '[CompanyId]'])(
    'never lets %s smuggle another company past the tenant check',
    async (name) => {
      const articles: [string, string][] = [
        ['Articles', '[{ArticleId:1,ArticleTypeId:1,Quantity:1}]'],
      ];
      const fields: [string, string][] = [
        [name, CLINIC],
        ['CountryCode', 'SE'],
        ...articles,
        ['InternalReferenceId', ref()],
      ];
      const res = await post(CHECKOUT).type(FORM).send(form(fields));
      expect([400, 403]).toContain(res.status);
      const query = await t.http
        .get('/api/GetStripeV1Checkout')
        .query(`${encodeURIComponent(name)}=${CLINIC}&InternalReferenceId=x`)
        .set('x-api-key', KEY);
      expect([400, 403]).toContain(query.status);
    },
  );
});
