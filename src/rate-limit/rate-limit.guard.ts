import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { findField } from '../common/request-fields.js';
import { PaymentsException } from '../errors/payments.exception.js';
import { PAYMENTS_OPTIONS } from '../payments.module-definition.js';
import type { PaymentsModuleOptions } from '../payments.options.js';
import { RATE_LIMIT_STORE, type RateLimitStore } from './rate-limit.store.js';
import { rateLimitsOf, retryAfterSeconds, type RateLimits } from './rate-limits.js';

interface TrackedRequest {
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  query?: unknown;
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

/**
 * Two limits, after authentication: per API key (one caller cannot spend a connected account's
 * Stripe rate limit) and per payable (creates and reads of one booking).
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly limits: RateLimits;

  constructor(
    @Inject(PAYMENTS_OPTIONS) options: PaymentsModuleOptions,
    @Inject(RATE_LIMIT_STORE) private readonly store: RateLimitStore,
  ) {
    this.limits = rateLimitsOf(options);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<TrackedRequest>();
    const { perKey, perPayable, windowMs } = this.limits;
    if (perKey > 0)
      await this.check(
        `key:${digest(String(request.headers['x-api-key'] ?? ''))}`,
        perKey,
        windowMs,
      );
    const payable = payableOf(request);
    if (perPayable > 0 && payable) await this.check(`payable:${payable}`, perPayable, windowMs);
    return true;
  }

  private async check(key: string, limit: number, windowMs: number): Promise<void> {
    const { hits, resetMs } = await this.store.hit(key, windowMs);
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

function payableOf(request: TrackedRequest): string | undefined {
  const reference =
    findField(request.body, 'InternalReferenceId') ??
    findField(request.query, 'InternalReferenceId');
  const company = findField(request.body, 'CompanyId') ?? findField(request.query, 'CompanyId');
  // The exact strings, unambiguously joined: the same identity as the payable's (no case folding,
  // no trimming), so `abc`, `ABC` and `abc ` are counted apart as they are three payables.
  return typeof reference === 'string' ? digest(JSON.stringify([company, reference])) : undefined;
}
