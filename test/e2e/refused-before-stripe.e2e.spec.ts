import { sendBytes } from '../support/raw-http.js';
import { SALON, salonCheckout, startTestApp, type TestApp } from '../support/test-app.js';
import { TEST_DB } from '../support/test-database.js';

const CREATE = '/payment/stripe/v1/checkout';
const STATUS = '/payment/stripe/v1/checkout/status';
const LONE_SURROGATE = '\ud800';

/** Item 7 of issue 10: whatever Stripe would refuse is a 400 naming the field, and Stripe never hears of it. */
describe(`requests Stripe would refuse (${TEST_DB})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const expectRefused = async (
    send: () => Promise<{ status: number; body: unknown }>,
    fieldName: string,
  ) => {
    const before = t.emulator.requests.length;
    const res = await send();
    expect({ status: res.status, body: res.body }).toEqual({
      status: 400,
      body: {
        ResponseStatus: expect.objectContaining({
          Errors: expect.arrayContaining([expect.objectContaining({ FieldName: fieldName })]),
        }),
      },
    });
    expect(t.emulator.requests.length).toBe(before);
  };
  const createWith = (body: Record<string, unknown>, key = 'demo-api-key') =>
    t.http.post(CREATE).set('x-api-key', key).send(body);

  describe('a cart total above 99,999,999 minor units', () => {
    it('is a 400 naming Articles', async () => {
      // 3 × 1000 haircuts at 450.00 SEK = 1,350,000.00 SEK = 135,000,000 öre
      const articles = [1, 2, 3].map(() => ({ ArticleId: 1, ArticleTypeId: 1, Quantity: 1000 }));
      await expectRefused(() => createWith(salonCheckout({ Articles: articles })), 'Articles');
    });

    it("while Stripe's maximum itself is taken", async () => {
      // 2222 haircuts at 450.00 SEK = 99,990,000 öre
      const articles = [
        { ArticleId: 1, ArticleTypeId: 1, Quantity: 1000 },
        { ArticleId: 1, ArticleTypeId: 1, Quantity: 1000 },
        { ArticleId: 1, ArticleTypeId: 1, Quantity: 222 },
      ];
      const res = await createWith(salonCheckout({ Articles: articles })).expect(200);
      expect(res.body.SessionId).toMatch(/^cs_/);
    });
  });

  describe('a lone surrogate in a JSON body', () => {
    it.each([
      ['InternalReferenceId', `booking-${LONE_SURROGATE}`],
      ['ConfirmationUrl', `https://example.com/ok/${LONE_SURROGATE}`],
      ['CancelUrl', `https://example.com/cancel?x=${LONE_SURROGATE}`],
      ['CountryCode', `S${LONE_SURROGATE}`],
      ['UiMode', `hosted${LONE_SURROGATE}`],
    ])('in %s is a 400 naming it', async (field, value) => {
      await expectRefused(() => createWith(salonCheckout({ [field]: value })), field);
    });

    it('in CompanyId is a 400 naming it (platform key, so the tenant check passes)', async () => {
      await expectRefused(
        () =>
          createWith(
            salonCheckout({ CompanyId: `${SALON}${LONE_SURROGATE}` }),
            'demo-platform-key',
          ),
        'CompanyId',
      );
    });

    it('in the SessionId of a status request is a 400 naming it', async () => {
      await expectRefused(
        () =>
          t.http
            .post(STATUS)
            .set('x-api-key', 'demo-api-key')
            .send({ CompanyId: SALON, SessionId: `cs_test_${LONE_SURROGATE}` }),
        'SessionId',
      );
    });

    it('on a predefined route too', async () => {
      await expectRefused(
        () =>
          t.http
            .post('/api/StripeV1CreateCheckout')
            .set('x-api-key', 'demo-api-key')
            .send(salonCheckout({ InternalReferenceId: `x${LONE_SURROGATE}` })),
        'InternalReferenceId',
      );
    });
  });

  describe('bytes that are not UTF-8', () => {
    const raw = (method: string, path: string, contentType: string | undefined, body?: Buffer) =>
      sendBytes(t.url, {
        method,
        path,
        headers: {
          'x-api-key': 'demo-api-key',
          ...(contentType && { 'Content-Type': contentType }),
        },
        body,
      }).then((res) => ({ status: res.status, body: res.json }));

    it.each([
      ['an encoded lone surrogate', '%ED%A0%80'],
      ['an invalid byte', '%FF'],
    ])('in a query string (%s) are a 400 naming the field', async (_name, bytes) => {
      const query = `CompanyId=${SALON}&InternalReferenceId=booking${bytes}`;
      await expectRefused(() => raw('GET', `${CREATE}?${query}`, undefined), 'InternalReferenceId');
      await expectRefused(
        () => raw('GET', `/api/GetStripeV1Checkout?${query}`, undefined),
        'InternalReferenceId',
      );
    });

    it.each([
      ['an encoded lone surrogate', Buffer.from('%ED%A0%80')],
      ['an invalid percent-escape', Buffer.from('%FF')],
      ['a raw invalid byte', Buffer.from([0xff])],
    ])('in a form body (%s) are a 400 naming the field', async (_name, bytes) => {
      const body = Buffer.concat([Buffer.from(`CompanyId=${SALON}&SessionId=cs_test_`), bytes]);
      await expectRefused(
        () => raw('POST', STATUS, 'application/x-www-form-urlencoded', body),
        _name === 'a raw invalid byte' ? '' : 'SessionId',
      );
    });

    it('in a JSON body are a 400', async () => {
      const body = Buffer.concat([
        Buffer.from(`{"CompanyId":"${SALON}","SessionId":"cs_test_`),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('"}'),
      ]);
      await expectRefused(() => raw('POST', STATUS, 'application/json', body), '');
    });

    it('while well-formed text in a query string and a form is answered', async () => {
      const res = await raw(
        'GET',
        `${CREATE}?CompanyId=${SALON}&InternalReferenceId=%C3%A1bc-%F0%9F%92%88`,
        undefined,
      );
      expect(res.status).toBe(404);
      const form = await raw(
        'POST',
        STATUS,
        'application/x-www-form-urlencoded',
        Buffer.from(`CompanyId=${SALON}&SessionId=cs_test_%C3%A1`),
      );
      expect(form.status).toBe(404);
    });
  });
});
