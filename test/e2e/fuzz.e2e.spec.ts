import fc from 'fast-check';
import { SALON, salonCheckout, startTestApp, type TestApp } from '../support/test-app.js';
import { TEST_DB } from '../support/test-database.js';

const FIELDS = [
  'CompanyId',
  'CountryCode',
  'Articles',
  'InternalReferenceId',
  'ConfirmationUrl',
  'CancelUrl',
  'UiMode',
];

const validBody = fc
  .record({
    ref: fc.string({ minLength: 1, maxLength: 20 }),
    uiMode: fc.constantFrom('hosted', 'embedded', 'HOSTED', '', undefined),
    quantity: fc.integer({ min: 1, max: 3 }),
  })
  .map(({ ref, uiMode, quantity }) =>
    salonCheckout({
      InternalReferenceId: `fuzz-${ref}`,
      UiMode: uiMode,
      Articles: [{ ArticleId: 1, ArticleTypeId: 1, Quantity: quantity }],
    }),
  );

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), field: fc.constantFrom(...FIELDS) }),
  fc.record({
    kind: fc.constant('replace' as const),
    field: fc.constantFrom(...FIELDS),
    value: fc.jsonValue(),
  }),
  fc.record({
    kind: fc.constant('extra' as const),
    field: fc.string({ maxLength: 12 }),
    value: fc.jsonValue(),
  }),
  fc.record({
    kind: fc.constant('article' as const),
    field: fc.constantFrom('ArticleId', 'ArticleTypeId', 'Quantity', 'Other'),
    value: fc.jsonValue(),
  }),
  fc.record({ kind: fc.constant('case' as const), field: fc.constantFrom(...FIELDS) }),
);

function mutate(
  body: Record<string, unknown>,
  mutations: fc.Arbitrary<unknown>[] | unknown[],
): Record<string, unknown> {
  const out = structuredClone(body);
  for (const m of mutations as { kind: string; field: string; value?: unknown }[]) {
    if (m.kind === 'delete') delete out[m.field];
    else if (m.kind === 'replace' || m.kind === 'extra') out[m.field] = m.value;
    else if (m.kind === 'case' && m.field in out) {
      out[m.field.toLowerCase()] = out[m.field];
      delete out[m.field];
    } else if (m.kind === 'article' && Array.isArray(out.Articles) && isObject(out.Articles[0])) {
      out.Articles[0][m.field] = m.value;
    }
  }
  return out;
}

/** Any JSON, any mutation of a valid body, or bytes that are not JSON at all. */
const hostileBody = fc.oneof(
  fc
    .tuple(validBody, fc.array(mutation, { minLength: 1, maxLength: 4 }))
    .map(([body, ms]) => JSON.stringify(mutate(body, ms))),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 200 }),
  fc.constant(JSON.stringify({ CompanyId: SALON, Articles: [[[[[[[[[[[[1]]]]]]]]]]]] })),
);

describe(`fuzzing the create endpoint (${TEST_DB})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ module: { rateLimit: { perKey: 0, perPayable: 0 } } });
  });
  afterAll(() => t.close());

  it('every answer is a 2xx or a 4xx with a ResponseStatus, never a 5xx or a hang', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(hostileBody, async (body) => {
        const res = await t.http
          .post('/payment/stripe/v1/checkout')
          .set('x-api-key', 'demo-platform-key')
          .set('Content-Type', 'application/json')
          .timeout(5000)
          .send(body);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400)
          expect(res.body.ResponseStatus).toEqual(
            expect.objectContaining({ ErrorCode: expect.any(String) }),
          );
      }),
      { numRuns: 2000 },
    );
    // Both sides were exercised: some bodies were accepted, most refused.
    expect(statuses.get(200)).toBeGreaterThan(0);
    expect(statuses.get(400)).toBeGreaterThan(0);
  }, 120_000);
});

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
