import { formatMinorUnits, toMinorUnits } from './minor-units.js';

describe('toMinorUnits', () => {
  it.each([
    ['450.00', 'SEK', 45000],
    ['450', 'sek', 45000],
    ['0.5', 'EUR', 50],
    ['800.00', 'NOK', 80000],
    ['500', 'JPY', 500],
    ['500.00', 'JPY', 500],
    ['1.230', 'KWD', 1230],
    ['0', 'USD', 0],
  ])('%s %s → %i', (amount, currency, expected) => {
    expect(toMinorUnits(amount, currency)).toBe(expected);
  });

  it.each([
    ['1.005', 'SEK'],
    ['500.5', 'JPY'],
    ['-1', 'SEK'],
    ['1e3', 'SEK'],
    ['1.235', 'KWD'],
    ['99999999999999999999', 'SEK'],
  ])('refuses %s %s', (amount, currency) => {
    expect(() => toMinorUnits(amount, currency)).toThrow(RangeError);
  });

  it('formats back', () => {
    expect(formatMinorUnits(110000, 'SEK')).toBe('1100.00');
    expect(formatMinorUnits(5, 'SEK')).toBe('0.05');
    expect(formatMinorUnits(500, 'JPY')).toBe('500');
  });
});
