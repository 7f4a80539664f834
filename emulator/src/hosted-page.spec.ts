import type Stripe from 'stripe';
import { formatAmount } from './hosted-page.js';
import { startStripeEmulator, type StripeEmulator } from './index.js';
import { embeddedParams, hostedParams, stripeFor } from './spec-helpers.js';

describe('stripe emulator: hosted checkout page', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;

  beforeAll(async () => {
    emulator = await startStripeEmulator({ port: 0 });
    stripe = stripeFor(emulator);
  });
  afterAll(() => emulator.close());

  const complete = (id: string, email = 'pay@example.com'): Promise<Response> =>
    fetch(`${emulator.url}/c/pay/${id}/complete`, {
      method: 'POST',
      body: new URLSearchParams({ email }),
      redirect: 'manual',
    });

  it('renders line items, the total, an email field, the Pay button and a Cancel link', async () => {
    const session = await stripe.checkout.sessions.create(hostedParams());

    const res = await fetch(session.url ?? '');
    const html = await res.text();

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(html).toContain('Haircut × 2');
    expect(html).toContain('Wash &amp; dry × 1');
    expect(html).toContain(formatAmount(99900, 'sek'));
    expect(html).toContain('value="customer@example.com"');
    expect(html).toContain('<button type="submit" id="pay">Pay</button>');
    expect(html).toContain(`action="/c/pay/${session.id}/complete"`);
    expect(html).toContain('href="https://shop.example/cancel"');
  });

  it('escapes everything it prints', async () => {
    const session = await stripe.checkout.sessions.create(
      hostedParams({
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: 'eur',
              unit_amount: 500,
              product_data: { name: '<script>x</script>' },
            },
          },
        ],
      }),
    );

    const html = await (await fetch(session.url ?? '')).text();
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(html).toContain('€5.00');
  });

  it('POST complete pays the session and redirects to success_url with the session id', async () => {
    const session = await stripe.checkout.sessions.create(hostedParams());

    const res = await complete(session.id);

    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`https://shop.example/ok?session=${session.id}`);
    const paid = await stripe.checkout.sessions.retrieve(session.id);
    expect(paid).toMatchObject({
      status: 'complete',
      payment_status: 'paid',
      customer_details: { email: 'pay@example.com' },
    });
    expect(emulator.events.at(-1)).toMatchObject({
      type: 'checkout.session.completed',
      delivery: 'no_endpoint',
    });

    const page = await (await fetch(`${emulator.url}/c/pay/${session.id}`)).text();
    expect(page).toContain('already complete');
    expect(page).not.toContain('id="pay"');
  });

  it('redirects an embedded session to its return_url', async () => {
    const session = await stripe.checkout.sessions.create(embeddedParams());

    const res = await complete(session.id);
    expect(res.headers.get('location')).toBe(`https://shop.example/return?id=${session.id}`);
  });

  it('shows expired and unknown sessions clearly', async () => {
    const session = await stripe.checkout.sessions.create(hostedParams());
    await stripe.checkout.sessions.expire(session.id);

    expect(await (await fetch(`${emulator.url}/c/pay/${session.id}`)).text()).toContain(
      'has expired',
    );
    expect((await complete(session.id)).status).toBe(410);
    expect((await fetch(`${emulator.url}/c/pay/cs_test_missing`)).status).toBe(404);
  });
});
