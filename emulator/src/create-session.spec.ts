import Stripe from 'stripe';
import { startStripeEmulator, type StripeEmulator } from './index.js';
import {
  embeddedParams,
  hostedParams,
  specValidators,
  stripeError,
  stripeFor,
} from './spec-helpers.js';

describe('stripe emulator: creating Checkout Sessions', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;
  const spec = specValidators();

  beforeAll(async () => {
    emulator = await startStripeEmulator({ port: 0 });
    stripe = stripeFor(emulator);
  });
  afterAll(() => emulator.close());

  it('creates a hosted_page session with a url, summed amounts and the params echoed', async () => {
    const session = await stripe.checkout.sessions.create(hostedParams());

    expect(session.id).toMatch(/^cs_test_/);
    expect(session).toMatchObject({
      object: 'checkout.session',
      status: 'open',
      payment_status: 'unpaid',
      mode: 'payment',
      ui_mode: 'hosted_page',
      currency: 'sek',
      amount_subtotal: 99900,
      amount_total: 99900,
      client_reference_id: 'booking-42',
      metadata: { CompanyId: 'c0ffee', BookingId: '42' },
      success_url: 'https://shop.example/ok?session={CHECKOUT_SESSION_ID}',
      livemode: false,
      payment_intent: null,
      customer: null,
      customer_details: null,
      client_secret: null,
      url: `${emulator.url}/c/pay/${session.id}`,
    });
    const now = Math.floor(Date.now() / 1000);
    expect(session.expires_at - session.created).toBe(24 * 60 * 60);
    expect(Math.abs(session.created - now)).toBeLessThanOrEqual(2);
    expect(emulator.sessions()[0]).toMatchObject({ id: session.id, account: null });
    expect(emulator.sessions()[0].payment_intent_metadata).toEqual({ CompanyId: 'c0ffee' });
  });

  it('returns objects that satisfy the OpenAPI checkout.session schema', async () => {
    const created = await stripe.checkout.sessions.create(hostedParams());
    const wire: unknown = JSON.parse(JSON.stringify(created));
    expect(spec.session(wire)).toBe(true);
    expect(spec.session.errors ?? null).toBeNull();
  });

  it('keeps the wire format schema-valid after payment, expiry and expansion', async () => {
    const raw = async (id: string): Promise<unknown> => {
      const query = 'expand[0]=line_items&expand[1]=payment_intent';
      const res = await fetch(`${emulator.url}/v1/checkout/sessions/${id}?${query}`, {
        headers: { Authorization: 'Bearer sk_test_emulator' },
      });
      return res.json();
    };
    const paid = await stripe.checkout.sessions.create(hostedParams());
    await emulator.pay(paid.id);
    const expired = await stripe.checkout.sessions.create(embeddedParams());
    await stripe.checkout.sessions.expire(expired.id);

    for (const id of [paid.id, expired.id]) {
      expect(spec.session(await raw(id))).toBe(true);
      expect(spec.session.errors ?? null).toBeNull();
    }
  });

  it('creates an embedded_page session with a client_secret and no url', async () => {
    const session = await stripe.checkout.sessions.create(embeddedParams());

    expect(session.url).toBeNull();
    expect(session.client_secret).toMatch(new RegExp(`^${session.id}_secret_`));
    expect(session.return_url).toBe('https://shop.example/return?id={CHECKOUT_SESSION_ID}');
    expect(session.redirect_on_completion).toBe('always');
    expect(session.amount_total).toBe(99900);
  });

  it('records each request with decoded params that validate against the OpenAPI request schema', async () => {
    emulator.reset();
    await stripe.checkout.sessions.create(hostedParams(), { idempotencyKey: 'rec-1' });

    const [recorded] = emulator.requests;
    expect(recorded).toMatchObject({
      method: 'POST',
      path: '/v1/checkout/sessions',
      account: null,
      idempotencyKey: 'rec-1',
      status: 200,
    });
    expect(recorded.params).toMatchObject({
      metadata: { CompanyId: 'c0ffee' },
      line_items: [{ quantity: '2', price_data: { unit_amount: '45000', currency: 'SEK' } }, {}],
    });
    expect(spec.createRequest(structuredClone(recorded.params))).toBe(true);
  });

  it('retrieves with expand[]=line_items and lists line items', async () => {
    const { id } = await stripe.checkout.sessions.create(hostedParams());

    const expanded = await stripe.checkout.sessions.retrieve(id, { expand: ['line_items'] });
    expect(
      expanded.line_items?.data.map((i) => [i.description, i.quantity, i.amount_total]),
    ).toEqual([
      ['Haircut', 2, 90000],
      ['Wash & dry', 1, 9900],
    ]);

    const items = await stripe.checkout.sessions.listLineItems(id, { limit: 1 });
    expect(items.has_more).toBe(true);
    expect(items.data[0]).toMatchObject({
      object: 'item',
      currency: 'sek',
      price: { unit_amount: 45000 },
    });
  });

  it('rejects a bad or missing API key with a 401 that masks the key', async () => {
    const live = new Stripe(['sk', 'live', 'supersecretvalue1234abcd'].join('_'), {
      host: '127.0.0.1',
      port: emulator.port,
      protocol: 'http',
      maxNetworkRetries: 0,
    });
    const err = await stripeError(live.checkout.sessions.create(hostedParams()));

    expect(err.statusCode).toBe(401);
    expect(err.type).toBe('StripeAuthenticationError');
    expect(err.message).toBe('Invalid API Key provided: sk_live_****abcd');
    expect(err.message).not.toContain('supersecret');

    const res = await fetch(`${emulator.url}/v1/checkout/sessions`);
    expect(res.status).toBe(401);
    expect(res.headers.get('request-id')).toMatch(/^req_/);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /did not provide an API key/,
    );
  });

  it('answers unknown sessions and unknown routes with Stripe-shaped 404s', async () => {
    const err = await stripeError(stripe.checkout.sessions.retrieve('cs_test_nope'));
    expect(err).toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'session' });

    const res = await fetch(`${emulator.url}/v1/charges`, {
      headers: { Authorization: 'Bearer sk_test_x1' },
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
  });
});
