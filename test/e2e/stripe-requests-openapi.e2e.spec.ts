import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
import { SALON, salonCheckout, startTestApp, type TestApp } from '../support/test-app.js';
import { TEST_DB } from '../support/test-database.js';

type Operation = {
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema: object }> };
};
const spec = JSON.parse(readFileSync('emulator/assets/openapi-checkout.json', 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
  components: object;
};

const ajv = new Ajv({
  strict: false,
  coerceTypes: true,
  allErrors: true,
  formats: { 'unix-time': true },
});
const cache = new Map<string, ReturnType<typeof compile>>();

/** Checks what our gateway sent against Stripe's own description, independently of the emulator. */
function validatorFor(method: string, path: string) {
  const template = Object.keys(spec.paths).find((candidate) =>
    new RegExp(`^${candidate.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path),
  );
  if (!template) throw new Error(`${path} is not in Stripe's description`);
  const key = `${method} ${template}`;
  if (!cache.has(key)) cache.set(key, compile(spec.paths[template][method.toLowerCase()]));
  return cache.get(key)!;
}

function compile(operation: Operation) {
  const schema = operation.requestBody?.content['application/x-www-form-urlencoded']?.schema;
  return {
    body: schema ? ajv.compile({ ...schema, components: spec.components }) : undefined,
    query: new Set((operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name)),
  };
}

describe(`requests to Stripe match Stripe's OpenAPI (${TEST_DB})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('the check refuses what Stripe refuses', () => {
    const create = validatorFor('POST', '/v1/checkout/sessions').body!;
    expect(create({ mode: 'payment', ui_mode: 'hosted_page' })).toBe(true);
    expect(create({ mode: 'payment', ui_mode: 'hosted' })).toBe(false);
    expect(create({ mode: 'payment', amount: '100' })).toBe(false);
  });

  it('every create, retrieve and expire the service sent is valid', async () => {
    const post = (body: Record<string, unknown>) =>
      t.http
        .post('/payment/stripe/v1/checkout')
        .set('x-api-key', 'demo-api-key')
        .send(body)
        .expect(200);
    const hosted = salonCheckout({
      ConfirmationUrl: 'https://example.com/ok',
      CancelUrl: 'https://example.com/cancel',
    });
    await post(hosted);
    await post(hosted);
    await post(salonCheckout({ UiMode: 'embedded', ConfirmationUrl: 'https://example.com/ok' }));
    await post(salonCheckout({ UiMode: 'embedded' }));
    await t.http
      .get('/payment/stripe/v1/checkout')
      .query({ CompanyId: SALON, InternalReferenceId: hosted.InternalReferenceId })
      .set('x-api-key', 'demo-api-key')
      .expect(200);

    const sent = t.emulator.requests;
    expect(new Set(sent.map((r) => `${r.method} ${r.path.replace(/cs_\w+/, ':id')}`))).toEqual(
      new Set([
        'POST /v1/checkout/sessions',
        'POST /v1/checkout/sessions/:id/expire',
        'GET /v1/checkout/sessions/:id',
      ]),
    );
    for (const request of sent) {
      const validator = validatorFor(request.method, request.path);
      if (request.method === 'POST') {
        const params = structuredClone(request.params);
        const valid = validator.body!(params);
        expect({ path: request.path, errors: valid ? null : validator.body!.errors }).toEqual({
          path: request.path,
          errors: null,
        });
      } else {
        for (const name of Object.keys(request.params))
          expect(validator.query).toContain(name.replace(/\[\]$/, ''));
      }
    }
  });
});
