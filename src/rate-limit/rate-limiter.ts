import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { PaymentsException } from '../errors/payments.exception.js';
import { PAYMENTS_OPTIONS } from '../payments.module-definition.js';
import type { PaymentsModuleOptions } from '../payments.options.js';
import { RATE_LIMIT_STORE, type RateLimitStore } from './rate-limit.store.js';
import { rateLimitsOf, retryAfterSeconds, type RateLimits } from './rate-limits.js';

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

/**
 * The operations' two limits: per caller (one caller cannot spend a connected account's Stripe
 * rate limit) and per payable (creates and reads of one booking).
 */
@Injectable()
export class RateLimiter {
  private readonly limits: RateLimits;

  constructor(
    @Inject(PAYMENTS_OPTIONS) options: PaymentsModuleOptions,
    @Inject(RATE_LIMIT_STORE) private readonly store: RateLimitStore,
  ) {
    this.limits = rateLimitsOf(options);
  }

  perCaller(callerId: string): Promise<void> {
    return this.check(`caller:${digest(callerId)}`, this.limits.perKey);
  }

  /** The exact strings, unambiguously joined: `abc`, `ABC` and `abc ` are three payables. */
  perPayable(companyId: string, internalReferenceId: string): Promise<void> {
    const payable = digest(JSON.stringify([companyId, internalReferenceId]));
    return this.check(`payable:${payable}`, this.limits.perPayable);
  }

  private async check(key: string, limit: number): Promise<void> {
    if (limit <= 0) return;
    const { hits, resetMs } = await this.store.hit(key, this.limits.windowMs);
    if (hits > limit) {
      throw new PaymentsException(
        'TooManyRequests',
        'Too many requests; retry after the time in Retry-After',
        [],
        retryAfterSeconds(resetMs),
      );
    }
  }
}
