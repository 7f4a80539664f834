/** Currencies Stripe takes in whole units (no minor unit): https://docs.stripe.com/currencies#zero-decimal */
const ZERO_DECIMAL = new Set([
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'JPY',
  'KMF',
  'KRW',
  'MGA',
  'PYG',
  'RWF',
  'UGX',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
]);
/** Three-decimal currencies; Stripe wants the last digit 0. */
const THREE_DECIMAL = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);

export function minorUnitDigits(currency: string): number {
  const code = currency.toUpperCase();
  if (ZERO_DECIMAL.has(code)) return 0;
  if (THREE_DECIMAL.has(code)) return 3;
  return 2;
}

/** "450.00" SEK → 45000; "500" JPY → 500. Exact decimal arithmetic on the string, never floats. */
export function toMinorUnits(amount: string, currency: string): number {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!match) throw new RangeError(`Not a non-negative decimal amount: "${amount}"`);
  const digits = minorUnitDigits(currency);
  const fraction = match[2] ?? '';
  if (fraction.replace(/0+$/, '').length > digits) {
    throw new RangeError(`${amount} has more decimals than ${currency.toUpperCase()} allows`);
  }
  const minor = Number(match[1] + fraction.padEnd(digits, '0').slice(0, digits));
  if (!Number.isSafeInteger(minor)) throw new RangeError(`Amount too large: ${amount}`);
  if (digits === 3 && minor % 10 !== 0) {
    throw new RangeError(`${currency.toUpperCase()} amounts must end in 0 for Stripe`);
  }
  return minor;
}

/** 45000 SEK → "450.00" (for logs and pages; money stays an integer everywhere else). */
export function formatMinorUnits(minor: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  if (digits === 0) return String(minor);
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  return `${minor < 0 ? '-' : ''}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}
