import type { PaymentsModuleOptions, PaymentsRateLimitOptions } from '../payments.options.js';

export type RateLimits = Required<Omit<PaymentsRateLimitOptions, 'redisUrl'>>;

const DEFAULTS: RateLimits = {
  perKey: 1200,
  perPayable: 30,
  failedAuthPerAddress: 20,
  windowMs: 60_000,
};

/** The module's rate limits, its defaults filled in. */
export function rateLimitsOf(options: PaymentsModuleOptions): RateLimits {
  const given = Object.entries(options.rateLimit ?? {}).filter(([, value]) => value !== undefined);
  return { ...DEFAULTS, ...(Object.fromEntries(given) as Partial<RateLimits>) };
}

/** Seconds until a window ends, for Retry-After: at least one. */
export function retryAfterSeconds(resetMs: number): number {
  return Math.max(1, Math.ceil(resetMs / 1000));
}
