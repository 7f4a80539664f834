const HOUR_MS = 3_600_000;

/**
 * Now, 5 s, 5 min, 30 min, 2 h, 5 h, then every 10 h: thirteen attempts over three days and a
 * bit (about 77.6 h), so a receiver down for a long weekend still gets everything.
 */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [
  0,
  5_000,
  300_000,
  1_800_000,
  2 * HOUR_MS,
  5 * HOUR_MS,
  ...Array<number>(7).fill(10 * HOUR_MS),
];

/** A receiver's `Retry-After` is honoured up to this: a day. */
export const MAX_RETRY_AFTER_MS = 24 * HOUR_MS;

/** Up to this share of a delay is added at random, so failed deliveries do not retry in step. */
export const JITTER = 0.1;

/** `WEBHOOK_RETRY_SCHEDULE_MS`: a comma list of delays in ms, the first one for the first attempt. */
export function parseRetrySchedule(text: string): number[] {
  const parts = text.split(',').map((part) => part.trim());
  const delays = parts.map(Number);
  if (
    parts.length === 0 ||
    delays.some((d, i) => parts[i] === '' || !Number.isInteger(d) || d < 0)
  ) {
    throw new Error(`expected a comma list of delays in ms (non-negative integers), got "${text}"`);
  }
  return delays;
}

/**
 * When to try again after a failed attempt (`attemptsMade` attempts so far, this one included),
 * in ms from now; undefined when the schedule is spent. A `Retry-After` longer than the schedule's
 * delay wins; jitter only ever adds, so no attempt comes before its scheduled time.
 */
export function retryDelay(
  schedule: readonly number[],
  attemptsMade: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number | undefined {
  if (attemptsMade >= schedule.length) return undefined;
  const scheduled = schedule[attemptsMade] * (1 + JITTER * random());
  return Math.round(Math.max(scheduled, retryAfterMs ?? 0));
}

/**
 * A `Retry-After` header (seconds, or an HTTP date) in ms from `now`, at most a day; undefined
 * when absent or bad.
 */
export function parseRetryAfter(
  header: string | null | undefined,
  now: number,
): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value) - now;
  if (Number.isNaN(ms)) return undefined;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}
