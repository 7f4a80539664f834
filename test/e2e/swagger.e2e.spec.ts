import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_DB } from '../support/test-database.js';
import { startStandaloneService, type StandaloneService } from '../support/swagger-app.js';

/** Every `@ApiMember(Description=...)` of the seed (a copy in test/fixtures/). */
const SEED_DESCRIPTIONS = [
  'The checkout session id',
  'The url for checkout module to be placed in a iframe',
  'The checkout status',
  'Client secret to be used when initializing Stripe.js embedded checkout.',
  '(ID of the Customer) The ID of the customer for this Session. For Checkout Sessions in subscription mode or Checkout Sessions with customer_creation set as always in payment mode, Checkout will create a new customer object based on information provided during the payment flow unless an existing customer was provided when the Session was created.',
  'The client secret of this PaymentIntent. Used for client-side retrieval using a publishable key. The client secret can be used to complete a payment from your frontend. It should not be stored, logged, or exposed to anyone other than the customer. Make sure that you have TLS enabled on any page that includes the client secret. Refer to our docs to accept a payment   and learn about how client_secret should be handled.',
  'The company id.',
  'Country code for checkout',
  'Articles (Could be Service, rebate code types, etc..',
  'An internal reference id (Could be booking, rebate code etc.)',
  'Optional to set your own confirmation url after payment completed.',
  'If set, Checkout displays a back button and customers will be directed to this URL if they decide to cancel payment and return to your website. This parameter is not allowed if ui_mode is <c>embedded</c>.',
  'The UI mode of the Session. Defaults to <c>hosted</c>; One of: <c>embedded</c>, or <c>hosted</c>',
];
const SEED_FILE = new URL('../fixtures/stripe-v1-create-checkout.txt', import.meta.url);
const COMMITTED = new URL('../../openapi.json', import.meta.url);
const VALIDATE = `
  import SwaggerParser from '@apidevtools/swagger-parser';
  await SwaggerParser.validate(process.argv[1]);
  console.log('valid');
`;

interface Schema {
  type?: string;
  format?: string;
  description?: string;
  enum?: string[];
  example?: unknown;
  required?: string[];
  properties?: Record<string, Schema>;
}
type Document = {
  paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown }>>;
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, unknown> };
};

describe(`Swagger UI and /openapi.json (standalone, ${TEST_DB})`, () => {
  let s: StandaloneService;
  let served: Document;
  beforeAll(async () => {
    s = await startStandaloneService();
    served = (await s.http.get('/openapi.json').expect(200)).body as Document;
  });
  afterAll(() => s.close());

  it('serves exactly the committed openapi.json (else: node scripts/export-openapi.mjs)', () => {
    const committed = JSON.parse(readFileSync(COMMITTED, 'utf8')) as Document;
    expect(served).toEqual(committed);
  });

  it('is a valid OpenAPI document (@apidevtools/swagger-parser)', () => {
    // In a plain Node process: swagger-parser requires an ES module, which Jest's runtime cannot.
    const dir = mkdtempSync(join(tmpdir(), 'openapi-'));
    try {
      const file = join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(served));
      const result = spawnSync(process.execPath, ['--input-type=module', '-e', VALIDATE, file], {
        encoding: 'utf8',
      });
      expect({ status: result.status, stderr: result.stderr.trim() }).toEqual({
        status: 0,
        stderr: '',
      });
      expect(result.stdout.trim()).toBe('valid');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("carries every description of the seed's DTOs verbatim", () => {
    const text = JSON.stringify(served);
    for (const description of SEED_DESCRIPTIONS)
      expect(text).toContain(JSON.stringify(description));
  });

  it('lists the same descriptions as the seed file', () => {
    const seed = readFileSync(SEED_FILE, 'utf8');
    const found = [...seed.matchAll(/@ApiMember\(Description="([^"]*)"/g)].map((m) => m[1]);
    expect([...new Set(found)].sort()).toEqual([...SEED_DESCRIPTIONS].sort());
  });

  it('names schemas and properties as the seed, requires what the seed requires', () => {
    const { schemas } = served.components;
    const request = schemas.StripeV1CreateCheckout;
    expect(Object.keys(request.properties!)).toEqual([
      'CompanyId',
      'CountryCode',
      'Articles',
      'InternalReferenceId',
      'ConfirmationUrl',
      'CancelUrl',
      'UiMode',
    ]);
    expect(request.required).toEqual([
      'CompanyId',
      'CountryCode',
      'Articles',
      'InternalReferenceId',
      'UiMode',
    ]);
    expect(request.properties!.CompanyId).toMatchObject({ format: 'uuid' });
    expect(request.properties!.UiMode.enum).toEqual(['hosted', 'embedded']);
    expect(Object.keys(schemas.ArticleToCreate.properties!)).toEqual([
      'ArticleId',
      'ArticleTypeId',
      'Quantity',
    ]);
    // The seed marks no field of ArticleToCreate or of the responses IsRequired.
    expect(schemas.ArticleToCreate.required).toBeUndefined();
    expect(schemas.StripeCheckoutQueryResponse.required).toBeUndefined();
    expect(Object.keys(schemas.StripeCheckoutQueryResponse.properties!)).toEqual([
      'SessionId',
      'Url',
      'Status',
      'ClientSecret',
      'CustomerId',
      'PaymentIntentClientSecret',
      'PaymentIntentId',
      'StripeAccount',
    ]);
  });

  it('has examples that work against the demo data', async () => {
    const example = Object.fromEntries(
      Object.entries(served.components.schemas.StripeV1CreateCheckout.properties!).map(
        ([name, property]) => [name, property.example],
      ),
    );
    const res = await s.http
      .post('/payment/stripe/v1/checkout')
      .set('x-api-key', 'demo-api-key')
      .send(example)
      .expect(200);
    expect(res.body.SessionId).toMatch(/^cs_/);
  });

  it('documents the ResponseStatus envelope on every 4xx/5xx and the x-api-key scheme', () => {
    expect(served.components.securitySchemes['x-api-key']).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'x-api-key',
    });
    const create = served.paths['/payment/stripe/v1/checkout'].post;
    expect(create.security).toEqual([{ 'x-api-key': [] }]);
    for (const [path, item] of Object.entries(served.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const errors = Object.entries(operation.responses).filter(([status]) => status >= '400');
        expect([path, method, errors.length > 0]).toEqual([path, method, true]);
        for (const [, response] of errors) {
          expect(JSON.stringify(response)).toContain('#/components/schemas/ErrorResponse');
        }
      }
    }
    expect(served.components.schemas.ResponseStatus.properties).toHaveProperty('Errors');
  });

  it('serves the Swagger UI page', async () => {
    const res = await s.http.get('/swagger-ui').redirects(1).expect(200);
    expect(res.text).toContain('swagger-ui');
  });
});
