import { JsonServiceClient } from '@servicestack/client';
import {
  ArticleToCreate,
  GetStripeCheckoutV1CheckoutStatus,
  GetStripeV1Checkout,
  StripeV1CreateCheckout,
} from '../support/servicestack-dtos.js';
import { SALON, SALON_ACCOUNT, startTestApp, type TestApp } from '../support/test-app.js';
import { newHostedCheckout } from '../support/checkout-rows.js';
import { TEST_DB } from '../support/test-database.js';

/** What `@servicestack/client` throws for a ResponseStatus body: its camelCase copy. */
interface ClientError {
  responseStatus: {
    errorCode: string;
    message: string;
    errors?: { errorCode: string; fieldName: string; message: string }[];
  };
}

const reference = () => `ss-client-${Math.random().toString(36).slice(2, 10)}`;

const checkout = (overrides: Partial<StripeV1CreateCheckout> = {}) =>
  new StripeV1CreateCheckout({
    CompanyId: SALON,
    CountryCode: 'SE',
    Articles: [
      new ArticleToCreate({ ArticleId: 1, ArticleTypeId: 1, Quantity: 2 }),
      new ArticleToCreate({ ArticleId: 2, ArticleTypeId: 1, Quantity: 1 }),
    ],
    InternalReferenceId: reference(),
    UiMode: 'hosted',
    ...overrides,
  });

async function thrownBy(call: Promise<unknown>): Promise<ClientError> {
  try {
    await call;
  } catch (error) {
    return error as ClientError;
  }
  throw new Error('the call succeeded');
}

describe(`@servicestack/client JsonServiceClient (${TEST_DB})`, () => {
  let t: TestApp;
  const urls: string[] = [];
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** Default settings: basePath `api`, the key sent with `client.headers`. */
  function apiClient(key = 'demo-api-key'): JsonServiceClient {
    const client = new JsonServiceClient(t.url);
    client.headers.set('x-api-key', key);
    client.urlFilter = (url) => urls.push(url);
    return client;
  }

  /** Older clients: `basePath = ''` posts to `/json/reply/{Dto}`; the key set in a requestFilter. */
  function jsonReplyClient(): JsonServiceClient {
    const client = new JsonServiceClient(t.url);
    client.basePath = '';
    client.requestFilter = (request) =>
      (request.headers as Headers).set('x-api-key', 'demo-api-key');
    client.urlFilter = (url) => urls.push(url);
    return client;
  }

  it('creates a checkout through POST /api/StripeV1CreateCheckout', async () => {
    const response = await apiClient().post(checkout());
    expect(urls.at(-1)).toBe(`${t.url}/api/StripeV1CreateCheckout`);
    expect(response).toEqual(newHostedCheckout(SALON_ACCOUNT));
  });

  it('creates a checkout through /json/reply/StripeV1CreateCheckout with send()', async () => {
    const response = await jsonReplyClient().send(checkout({ UiMode: 'embedded' }));
    expect(urls.at(-1)).toBe(`${t.url}/json/reply/StripeV1CreateCheckout`);
    expect(response.SessionId).toMatch(/^cs_/);
    expect(response.ClientSecret).toMatch(/_secret_/);
    expect(response.Url).toBeNull();
  });

  it('reads it back with GET /api/GetStripeV1Checkout and the status operation', async () => {
    const client = apiClient();
    const body = checkout();
    const created = await client.post(body);
    const current = await client.get(
      new GetStripeV1Checkout({ CompanyId: SALON, InternalReferenceId: body.InternalReferenceId }),
    );
    expect(urls.at(-1)).toBe(
      `${t.url}/api/GetStripeV1Checkout?CompanyId=${SALON}&InternalReferenceId=${body.InternalReferenceId}`,
    );
    expect(current).toMatchObject({ SessionId: created.SessionId, Status: 'open' });
    const status = await client.post(
      new GetStripeCheckoutV1CheckoutStatus({ CompanyId: SALON, SessionId: created.SessionId }),
    );
    expect(urls.at(-1)).toBe(`${t.url}/api/GetStripeCheckoutV1CheckoutStatus`);
    expect(status).toEqual({ CustomerEmail: null, Status: 'open' });
  });

  it.each([
    ['api', apiClient],
    ['json/reply', jsonReplyClient],
  ])('surfaces a validation error as responseStatus.errors (%s)', async (_name, client) => {
    const request = checkout({
      Articles: [new ArticleToCreate({ ArticleId: 1, ArticleTypeId: 1, Quantity: 0 })],
    });
    const error = await thrownBy(client().post(request));
    expect(error.responseStatus.errorCode).toBe('InclusiveBetween');
    expect(error.responseStatus.errors).toEqual([
      {
        errorCode: 'InclusiveBetween',
        fieldName: 'Articles[0].Quantity',
        message: 'Quantity must not be less than 1',
      },
    ]);
  });

  it('api() returns the error as an ApiResult instead of throwing', async () => {
    const result = await apiClient().api(checkout({ CountryCode: 'XX' }));
    expect(result.succeeded).toBe(false);
    expect(result.error?.errors?.map((e) => e.fieldName)).toEqual(['CountryCode']);
  });

  it('auth errors come before validation: 401 without a key, 403 for another company', async () => {
    const anonymous = new JsonServiceClient(t.url);
    const missing = await thrownBy(anonymous.post(new StripeV1CreateCheckout({})));
    expect(missing.responseStatus.errorCode).toBe('Unauthorized');
    const other = await thrownBy(
      apiClient('demo-api-key-2').post(new StripeV1CreateCheckout({ CompanyId: SALON })),
    );
    expect(other.responseStatus.errorCode).toBe('Forbidden');
  });
});
