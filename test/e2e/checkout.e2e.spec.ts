import { Article, ArticlePrice, PAYMENTS_ENTITIES, Payable } from '../../src/index.js';
import { PricingService } from '../../src/pricing/pricing.service.js';
import {
  CLINIC,
  CLINIC_ACCOUNT,
  NO_STRIPE,
  SALON,
  SALON_ACCOUNT,
  salonCheckout,
  startTestApp,
  type TestApp,
} from '../support/test-app.js';
import { checkoutRowsOf, newHostedCheckout, RESPONSE_KEYS } from '../support/checkout-rows.js';
import { TEST_DB } from '../support/test-database.js';

describe(`POST /payment/stripe/v1/checkout (${TEST_DB})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const create = (body: Record<string, unknown>, key = 'demo-api-key') =>
    t.http.post('/payment/stripe/v1/checkout').set('x-api-key', key).send(body);
  const rowsOf = (ref: string) => checkoutRowsOf(t.dataSource, ref);

  it('creates a hosted checkout priced from the database', async () => {
    const body = salonCheckout();
    const res = await create(body).expect(200);
    expect(Object.keys(res.body).sort()).toEqual(RESPONSE_KEYS);
    expect(res.body).toMatchObject(newHostedCheckout(SALON_ACCOUNT));
    const [session] = t.emulator.sessions(SALON_ACCOUNT).filter((s) => s.id === res.body.SessionId);
    expect(session).toMatchObject({
      amount_total: 110000,
      currency: 'sek',
      ui_mode: 'hosted_page',
      client_reference_id: body.InternalReferenceId,
      metadata: { CompanyId: SALON, InternalReferenceId: body.InternalReferenceId },
    });
    const [row] = await rowsOf(body.InternalReferenceId as string);
    const sent = t.emulator.requests.find(
      (r) => r.method === 'POST' && r.idempotencyKey === row.idempotencyKey,
    );
    expect(sent).toMatchObject({ path: '/v1/checkout/sessions', account: SALON_ACCOUNT });
    const names = (
      sent!.params.line_items as { price_data: { product_data: { name: string } } }[]
    ).map((item) => item.price_data.product_data.name);
    expect(names).toEqual(['Haircut 45 min', 'Beard trim']);
    expect(row).toMatchObject({
      state: 'open',
      stripeSessionId: res.body.SessionId,
      amountTotal: 110000,
    });
  });

  it('creates an embedded checkout with a client secret and no url', async () => {
    const res = await create(
      salonCheckout({ UiMode: 'EMBEDDED', ConfirmationUrl: 'https://example.com/done' }),
    ).expect(200);
    expect(res.body.ClientSecret).toMatch(/_secret_/);
    expect(res.body.Url).toBeNull();
    const session = t.emulator.sessions(SALON_ACCOUNT).find((s) => s.id === res.body.SessionId);
    expect(session).toMatchObject({
      ui_mode: 'embedded_page',
      return_url: 'https://example.com/done',
    });
  });

  it('uses the company connected account of another company', async () => {
    const res = await create(
      {
        CompanyId: CLINIC,
        CountryCode: 'no',
        Articles: [{ ArticleId: 1, ArticleTypeId: 1, Quantity: 1 }],
        InternalReferenceId: 'clinic-1',
      },
      'demo-api-key-2',
    ).expect(200);
    expect(res.body.StripeAccount).toBe(CLINIC_ACCOUNT);
    const session = t.emulator.sessions(CLINIC_ACCOUNT).find((s) => s.id === res.body.SessionId);
    expect(session).toMatchObject({ amount_total: 80000, currency: 'nok' });
  });

  it('a second checkout expires the first at Stripe and in the database; a paid payable is 409', async () => {
    const body = salonCheckout();
    const first = await create(body).expect(200);
    const second = await create(body).expect(200);
    expect(second.body.SessionId).not.toBe(first.body.SessionId);
    const sessions = t.emulator.sessions(SALON_ACCOUNT);
    expect(sessions.find((s) => s.id === first.body.SessionId)?.status).toBe('expired');
    expect(sessions.find((s) => s.id === second.body.SessionId)?.status).toBe('open');
    const [old, current] = await rowsOf(body.InternalReferenceId as string);
    expect(old).toMatchObject({ state: 'expired', invalidatedBy: current.id });
    expect(current).toMatchObject({ state: 'open', invalidatedBy: null });

    await t.dataSource
      .getRepository(Payable)
      .update({ internalReferenceId: body.InternalReferenceId as string }, { paidAt: new Date() });
    const before = t.emulator.sessions(SALON_ACCOUNT).length;
    const third = await create(body).expect(409);
    expect(third.body.ResponseStatus.ErrorCode).toBe('AlreadyPaid');
    expect(t.emulator.sessions(SALON_ACCOUNT)).toHaveLength(before);
    expect(await rowsOf(body.InternalReferenceId as string)).toHaveLength(2);
  });

  it('25 concurrent creates for one payable leave exactly one open session', async () => {
    const body = salonCheckout();
    const responses = await Promise.all(Array.from({ length: 25 }, () => create(body)));
    for (const res of responses) expect([200, 409]).toContain(res.status);
    expect(responses.some((res) => res.status === 200)).toBe(true);
    const rows = await rowsOf(body.InternalReferenceId as string);
    expect(rows.filter((row) => row.state === 'open')).toHaveLength(1);
    const ids = new Set(rows.map((row) => row.stripeSessionId));
    const open = t.emulator
      .sessions(SALON_ACCOUNT)
      .filter((s) => ids.has(s.id) && s.status === 'open');
    expect(open).toHaveLength(1);
    expect(open[0].id).toBe(rows.find((row) => row.state === 'open')?.stripeSessionId);
  });

  it('25 concurrent creates from two instances sharing the database leave one open session', async () => {
    const second = await startTestApp({ db: t.db, emulator: t.emulator });
    try {
      const body = salonCheckout();
      const responses = await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          (i % 2 ? second : t).http
            .post('/payment/stripe/v1/checkout')
            .set('x-api-key', 'demo-api-key')
            .send(body),
        ),
      );
      for (const res of responses) expect([200, 409]).toContain(res.status);
      const rows = await rowsOf(body.InternalReferenceId as string);
      expect(rows.filter((row) => row.state === 'open')).toHaveLength(1);
      const ids = new Set(rows.map((row) => row.stripeSessionId));
      const sessions = t.emulator
        .sessions(SALON_ACCOUNT)
        .filter((s) => s.client_reference_id === body.InternalReferenceId);
      expect(sessions.every((s) => ids.has(s.id))).toBe(true);
      expect(sessions.filter((s) => s.status === 'open')).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it("prices an article at its country's price, and the others at their default price", async () => {
    const haircut = await t.dataSource
      .getRepository(Article)
      .findOneByOrFail({ companyId: SALON, articleTypeId: 1, articleId: 1 });
    await t.dataSource.getRepository(ArticlePrice).insert({
      articleRef: haircut.id,
      countryCode: 'DK',
      currency: 'SEK',
      unitAmount: 39_900,
      vatBasisPoints: 2500,
    });
    t.app.get(PricingService).invalidate();
    const res = await create(salonCheckout({ CountryCode: 'dk' })).expect(200);
    const session = t.emulator.sessions(SALON_ACCOUNT).find((s) => s.id === res.body.SessionId);
    // 2 × 399.00 (Denmark) + 1 × 200.00 (default)
    expect(session?.amount_total).toBe(99_800);
    const sweden = await create(salonCheckout({ CountryCode: 'SE' })).expect(200);
    const swedish = t.emulator.sessions(SALON_ACCOUNT).find((s) => s.id === sweden.body.SessionId);
    expect(swedish?.amount_total).toBe(110_000);
  });

  it('answers a company without Stripe settings with a 400 naming it', async () => {
    const res = await create(
      {
        CompanyId: NO_STRIPE,
        CountryCode: 'SE',
        Articles: [{ ArticleId: 1, ArticleTypeId: 1, Quantity: 1 }],
        InternalReferenceId: 'x',
      },
      'demo-api-key-3',
    ).expect(400);
    expect(res.body.ResponseStatus.ErrorCode).toBe('StripeCheckoutNotConfigured');
    expect(res.body.ResponseStatus.Errors[0].FieldName).toBe('CompanyId');
  });

  it.each([
    ['missing CompanyId', { CompanyId: undefined }, 400, 'CompanyId'],
    ['missing Articles', { Articles: undefined }, 400, 'Articles'],
    ['empty Articles', { Articles: [] }, 400, 'Articles'],
    [
      'zero quantity',
      { Articles: [{ ArticleId: 1, ArticleTypeId: 1, Quantity: 0 }] },
      400,
      'Articles[0].Quantity',
    ],
    [
      'negative quantity',
      { Articles: [{ ArticleId: 1, ArticleTypeId: 1, Quantity: -3 }] },
      400,
      'Articles[0].Quantity',
    ],
    [
      'huge quantity',
      { Articles: [{ ArticleId: 1, ArticleTypeId: 1, Quantity: 1e9 }] },
      400,
      'Articles[0].Quantity',
    ],
    [
      'fractional quantity',
      { Articles: [{ ArticleId: 1, ArticleTypeId: 1, Quantity: 1.5 }] },
      400,
      'Articles[0].Quantity',
    ],
    [
      'unknown article',
      { Articles: [{ ArticleId: 99, ArticleTypeId: 1, Quantity: 1 }] },
      404,
      'Articles[0].ArticleId',
    ],
    ['bad country code', { CountryCode: 'XX' }, 400, 'CountryCode'],
    ['bad UiMode', { UiMode: 'popup' }, 400, 'UiMode'],
    [
      'CancelUrl with embedded',
      { UiMode: 'embedded', CancelUrl: 'https://example.com/c' },
      400,
      'CancelUrl',
    ],
    [
      'long InternalReferenceId',
      { InternalReferenceId: 'x'.repeat(101) },
      400,
      'InternalReferenceId',
    ],
    [
      'javascript: ConfirmationUrl',
      { ConfirmationUrl: 'javascript:alert(1)' },
      400,
      'ConfirmationUrl',
    ],
    ['an Amount field', { Amount: 1 }, 400, 'Amount'],
  ])('%s', async (_name, overrides, status, field) => {
    const body = salonCheckout(overrides);
    for (const [key, value] of Object.entries(overrides)) if (value === undefined) delete body[key];
    const res = await create(body).expect(status);
    expect(res.body.ResponseStatus.Errors.map((e: { FieldName: string }) => e.FieldName)).toContain(
      field,
    );
  });

  it('an article of another company is not found', async () => {
    const res = await create(
      salonCheckout({
        CompanyId: CLINIC,
        Articles: [{ ArticleId: 2, ArticleTypeId: 1, Quantity: 1 }],
      }),
      'demo-platform-key',
    ).expect(404);
    expect(res.body.ResponseStatus.ErrorCode).toBe('ArticleNotFound');
  });

  it("the seed's own sample request gets a clean 400", async () => {
    const res = await create(
      {
        CompanyId: '00000000-0000-0000-0000-000000000000',
        CountryCode: 'String',
        Articles: [{ ArticleId: 0, ArticleTypeId: 0, Quantity: 0 }],
        InternalReferenceId: 'String',
        ConfirmationUrl: 'String',
        CancelUrl: 'String',
        UiMode: 'String',
      },
      'demo-platform-key',
    ).expect(400);
    const fields = res.body.ResponseStatus.Errors.map((e: { FieldName: string }) => e.FieldName);
    expect(fields).toEqual(
      expect.arrayContaining(['CountryCode', 'Articles[0].Quantity', 'UiMode']),
    );
  });

  it('registers every entity, each table with the payments_ prefix', () => {
    const tables = PAYMENTS_ENTITIES.map((e) => t.dataSource.getMetadata(e).tableName);
    expect(new Set(tables).size).toBe(PAYMENTS_ENTITIES.length);
    for (const table of tables) expect(table).toMatch(/^payments_[a-z_]+$/);
    expect(tables).toEqual(
      expect.arrayContaining(['payments_checkouts', 'payments_payables', 'payments_events']),
    );
  });
});
