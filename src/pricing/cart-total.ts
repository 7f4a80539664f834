import { PaymentsException } from '../errors/payments.exception.js';
import { formatMinorUnits } from './minor-units.js';

/**
 * Stripe's largest amount: eight digits in the currency's minor units (999,999.99 SEK). It also
 * keeps every total far inside the 32-bit `amount_total` column.
 */
export const STRIPE_MAX_AMOUNT = 99_999_999;

export interface PricedLine {
  unitAmount: number;
  quantity: number;
}

/** The cart's total in minor units; a 400 naming `Articles` when Stripe would refuse it. */
export function cartTotal(lines: PricedLine[], currency: string): number {
  let total = 0;
  for (const { unitAmount, quantity } of lines) {
    // Checked per line as well, so no product or sum ever leaves the safe integers.
    const line = unitAmount * quantity;
    if (!Number.isSafeInteger(line) || line > STRIPE_MAX_AMOUNT) throw tooLarge(currency);
    total += line;
    if (total > STRIPE_MAX_AMOUNT) throw tooLarge(currency);
  }
  return total;
}

function tooLarge(currency: string): PaymentsException {
  const max = `${formatMinorUnits(STRIPE_MAX_AMOUNT, currency)} ${currency.toUpperCase()}`;
  const message = `The checkout total must be at most ${max}, the most Stripe takes in one payment`;
  return new PaymentsException('ValidationException', message, [
    { ErrorCode: 'LessThanOrEqual', FieldName: 'Articles', Message: message },
  ]);
}
