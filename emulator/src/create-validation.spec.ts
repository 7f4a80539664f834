import type Stripe from 'stripe';
import { startStripeEmulator, type StripeEmulator } from './index.js';
import { embeddedParams, hostedParams, stripeError, stripeFor } from './spec-helpers.js';

describe('stripe emulator: create parameter validation', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;

  beforeAll(async () => {
    emulator = await startStripeEmulator({ port: 0 });
    stripe = stripeFor(emulator);
  });
  afterAll(() => emulator.close());

  it.each([
    ['an unknown parameter', { bogus: 'x' }, 'bogus', /Received unknown parameter: bogus/],
    [
      'an unknown nested parameter',
      {
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: 'sek',
              unit_amount: 1,
              product_data: { name: 'A' },
              colour: 'red',
            },
          },
        ],
      },
      'line_items[0][price_data][colour]',
      /unknown parameter/,
    ],
    [
      'a quantity that is not an integer',
      {
        line_items: [
          {
            quantity: 'two',
            price_data: { currency: 'sek', unit_amount: 1, product_data: { name: 'A' } },
          },
        ],
      },
      'line_items[0][quantity]',
      /Invalid integer: two/,
    ],
    [
      'the old ui_mode "hosted"',
      { ui_mode: 'hosted' },
      'ui_mode',
      /must be one of elements, embedded_page, or hosted_page/,
    ],
    ['the old ui_mode "embedded"', { ui_mode: 'embedded' }, 'ui_mode', /Invalid ui_mode/],
    [
      'success_url with embedded_page',
      { ui_mode: 'embedded_page', cancel_url: undefined },
      'success_url',
      /not allowed/,
    ],
    [
      'return_url with hosted_page',
      { return_url: 'https://shop.example/r' },
      'return_url',
      /return_url/,
    ],
    ['a missing mode', { mode: undefined }, 'mode', /Missing required param: mode/],
    [
      'expires_at under 30 minutes',
      { expires_at: Math.floor(Date.now() / 1000) + 600 },
      'expires_at',
      /30 minutes/,
    ],
    [
      'expires_at over 24 hours',
      { expires_at: Math.floor(Date.now() / 1000) + 25 * 3600 },
      'expires_at',
      /24 hours/,
    ],
    [
      'line items in different currencies',
      {
        line_items: [
          {
            quantity: 1,
            price_data: { currency: 'sek', unit_amount: 1, product_data: { name: 'A' } },
          },
          {
            quantity: 1,
            price_data: { currency: 'eur', unit_amount: 1, product_data: { name: 'B' } },
          },
        ],
      },
      'line_items',
      /same currency/,
    ],
    [
      'a zero quantity',
      {
        line_items: [
          {
            quantity: 0,
            price_data: { currency: 'sek', unit_amount: 1, product_data: { name: 'A' } },
          },
        ],
      },
      'line_items[0][quantity]',
      /greater than or equal to 1/,
    ],
    [
      'a line item without unit_amount',
      {
        line_items: [{ quantity: 1, price_data: { currency: 'sek', product_data: { name: 'A' } } }],
      },
      'line_items[0][price_data][unit_amount]',
      /Missing required param/,
    ],
    [
      'a line item without a product name',
      {
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: 'sek',
              unit_amount: 1,
              product_data: { description: 'no name' },
            },
          },
        ],
      },
      'line_items[0][price_data][product_data][name]',
      /Missing required param/,
    ],
  ])('rejects %s with a 400 naming the param', async (_label, overrides, param, message) => {
    const params = {
      ...hostedParams(),
      ...overrides,
    } as unknown as Stripe.Checkout.SessionCreateParams;
    const err = await stripeError(stripe.checkout.sessions.create(params));

    expect(err.statusCode).toBe(400);
    expect(err.type).toBe('StripeInvalidRequestError');
    expect(err.param).toBe(param);
    expect(err.message).toMatch(message);
  });

  it('requires return_url for embedded_page unless redirect_on_completion=never', async () => {
    const err = await stripeError(
      stripe.checkout.sessions.create(embeddedParams({ return_url: undefined })),
    );
    expect(err.param).toBe('return_url');

    const session = await stripe.checkout.sessions.create(
      embeddedParams({ return_url: undefined, redirect_on_completion: 'never' }),
    );
    expect(session.redirect_on_completion).toBe('never');
  });
});
