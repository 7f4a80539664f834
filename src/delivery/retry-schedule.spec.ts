import {
  DEFAULT_RETRY_SCHEDULE_MS,
  JITTER,
  MAX_RETRY_AFTER_MS,
  parseRetryAfter,
  parseRetrySchedule,
  retryDelay,
} from './retry-schedule.js';

describe('the retry schedule', () => {
  it('by default retries for at least three days', () => {
    const total = DEFAULT_RETRY_SCHEDULE_MS.reduce((a, b) => a + b, 0);
    expect(DEFAULT_RETRY_SCHEDULE_MS.slice(0, 6)).toEqual([
      0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000,
    ]);
    expect(total).toBeGreaterThanOrEqual(72 * 3_600_000);
  });

  it('reads a comma list, and refuses anything else', () => {
    expect(parseRetrySchedule('0, 200,1000')).toEqual([0, 200, 1000]);
    for (const bad of ['', '1,,2', '-1', '1.5', 'abc']) {
      expect(() => parseRetrySchedule(bad)).toThrow(/comma list/);
    }
  });

  it('waits the next delay of the schedule, plus at most 10% of jitter, never less', () => {
    const schedule = [0, 1000, 5000];
    expect(retryDelay(schedule, 1, undefined, () => 0)).toBe(1000);
    expect(retryDelay(schedule, 1, undefined, () => 0.999)).toBeLessThanOrEqual(
      1000 * (1 + JITTER),
    );
    expect(retryDelay(schedule, 2, undefined, () => 0.5)).toBe(5250);
  });

  it('is spent after as many attempts as it has delays', () => {
    expect(retryDelay([0, 1000, 5000], 3, undefined)).toBeUndefined();
    expect(retryDelay([0], 1, 60_000)).toBeUndefined();
  });

  it('honours a Retry-After longer than the schedule, not a shorter one', () => {
    expect(retryDelay([0, 1000], 1, 30_000, () => 0)).toBe(30_000);
    expect(retryDelay([0, 1000], 1, 10, () => 0)).toBe(1000);
  });

  it('parses Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    // A day at most: a receiver cannot park a delivery for ever (nor overflow the due time).
    expect(parseRetryAfter('999999999999999999999', now)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('Fri, 01 Jan 2100 00:00:00 GMT', now)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
