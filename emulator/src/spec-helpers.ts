import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Ajv, type ValidateFunction } from 'ajv';
import Stripe from 'stripe';
import { bodySchema, loadOpenApi, withoutNullable } from './openapi.js';
import type { StripeEmulator } from './types.js';

export const TEST_KEY = 'sk_test_emulator';

export function stripeFor(emulator: StripeEmulator, config: Stripe.StripeConfig = {}): Stripe {
  return new Stripe(TEST_KEY, {
    host: '127.0.0.1',
    port: emulator.port,
    protocol: 'http',
    maxNetworkRetries: 0,
    timeout: 5000,
    ...config,
  });
}

export function hostedParams(
  overrides: Partial<Stripe.Checkout.SessionCreateParams> = {},
): Stripe.Checkout.SessionCreateParams {
  return {
    mode: 'payment',
    ui_mode: 'hosted_page',
    success_url: 'https://shop.example/ok?session={CHECKOUT_SESSION_ID}',
    cancel_url: 'https://shop.example/cancel',
    client_reference_id: 'booking-42',
    metadata: { CompanyId: 'c0ffee', BookingId: '42' },
    payment_intent_data: { metadata: { CompanyId: 'c0ffee' } },
    line_items: [
      {
        quantity: 2,
        price_data: { currency: 'SEK', unit_amount: 45000, product_data: { name: 'Haircut' } },
      },
      {
        quantity: 1,
        price_data: { currency: 'sek', unit_amount: 9900, product_data: { name: 'Wash & dry' } },
      },
    ],
    ...overrides,
  };
}

export function embeddedParams(
  overrides: Partial<Stripe.Checkout.SessionCreateParams> = {},
): Stripe.Checkout.SessionCreateParams {
  const params = hostedParams();
  delete params.success_url;
  delete params.cancel_url;
  return {
    ...params,
    ui_mode: 'embedded_page',
    return_url: 'https://shop.example/return?id={CHECKOUT_SESSION_ID}',
    ...overrides,
  };
}

/** Independent validators built straight from the OpenAPI file, as a client of the spec would. */
export function specValidators(): { session: ValidateFunction; createRequest: ValidateFunction } {
  const doc = loadOpenApi();
  const responses = new Ajv({ strict: false, validateFormats: false });
  responses.addSchema({ components: withoutNullable(doc.components) }, 'spec');
  // Form values arrive as strings, so requests are checked the way Stripe parses them.
  const requests = new Ajv({ strict: false, coerceTypes: true, validateFormats: false });
  return {
    session: responses.compile({ $ref: 'spec#/components/schemas/checkout.session' }),
    createRequest: requests.compile(bodySchema(doc, '/v1/checkout/sessions')),
  };
}

export interface ReceivedWebhook {
  body: string;
  signature: string | undefined;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** answer with this status instead of 200 for the next N deliveries */
  failNext(count: number, status?: number): void;
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let failures = 0;
  let failStatus = 500;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (failures > 0) {
        failures--;
        res.writeHead(failStatus).end();
        return;
      }
      const signature = req.headers['stripe-signature'];
      received.push({
        body: Buffer.concat(chunks).toString('utf8'),
        signature: signature as string | undefined,
      });
      res.writeHead(200).end('{"received":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/stripe`,
    received,
    failNext(count, status = 500) {
      failures = count;
      failStatus = status;
    },
    waitFor: (count, timeoutMs = 3000) =>
      waitUntil(() => received.length >= count, timeoutMs).then(() => received),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export async function waitUntil(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Runs the promise expecting a Stripe error and returns it (fails the test if it resolves). */
export async function stripeError(
  promise: Promise<unknown>,
): Promise<InstanceType<typeof Stripe.errors.StripeError>> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof Stripe.errors.StripeError) return err;
    throw err;
  }
  throw new Error('expected the Stripe call to fail');
}
