import { PaymentsException } from '../errors/payments.exception.js';
import { cartTotal, STRIPE_MAX_AMOUNT } from './cart-total.js';

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error as PaymentsException;
  }
  throw new Error('expected a refusal');
};

describe('cartTotal', () => {
  it('sums unit amounts times quantities', () => {
    const lines = [
      { unitAmount: 45000, quantity: 2 },
      { unitAmount: 20000, quantity: 1 },
    ];
    expect(cartTotal(lines, 'sek')).toBe(110000);
  });

  it("takes exactly Stripe's maximum", () => {
    expect(cartTotal([{ unitAmount: STRIPE_MAX_AMOUNT, quantity: 1 }], 'sek')).toBe(99_999_999);
  });

  it.each([
    ['one unit over the maximum', [{ unitAmount: STRIPE_MAX_AMOUNT + 1, quantity: 1 }]],
    [
      'a sum over the maximum',
      [
        { unitAmount: 50_000_000, quantity: 1 },
        { unitAmount: 50_000_000, quantity: 1 },
      ],
    ],
    ['a product past the safe integers', [{ unitAmount: Number.MAX_SAFE_INTEGER, quantity: 3 }]],
    ['an int column overflow', [{ unitAmount: 2_147_483_647, quantity: 1000 }]],
  ])('refuses %s with a 400 naming Articles', (_name, lines) => {
    const error = refusal(() => cartTotal(lines, 'sek'));
    expect(error).toBeInstanceOf(PaymentsException);
    expect(error.status).toBe(400);
    expect(error.errors).toEqual([
      expect.objectContaining({ ErrorCode: 'LessThanOrEqual', FieldName: 'Articles' }),
    ]);
    expect(error.message).toContain('999999.99 SEK');
  });

  it('names the maximum in the currency of the cart', () => {
    const error = refusal(() => cartTotal([{ unitAmount: 10 ** 9, quantity: 1 }], 'jpy'));
    expect(error.message).toContain('99999999 JPY');
  });
});
