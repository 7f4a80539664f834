import { Inject, Injectable, Logger, type ExecutionContext } from '@nestjs/common';
import { clientIdentity } from '../common/ip-address.js';
import { PaymentsException } from '../errors/payments.exception.js';
import { PAYMENTS_OPTIONS } from '../payments.module-definition.js';
import type { PaymentsModuleOptions } from '../payments.options.js';
import { RATE_LIMIT_STORE, type RateLimitStore } from '../rate-limit/rate-limit.store.js';
import { rateLimitsOf, retryAfterSeconds, type RateLimits } from '../rate-limit/rate-limits.js';
import { ApiKeyService } from './api-key.service.js';
import type { PaymentsAuthGuard, PaymentsCaller } from './payments-caller.js';

interface KeyedRequest {
  headers: Record<string, string | string[] | undefined>;
  /** The client address as the adapter sees it (Express and Fastify honour their trust-proxy setting). */
  ip?: string;
  socket?: { remoteAddress?: string };
}

/**
 * The module's own authentication: `x-api-key`, a company key or a platform key. Guessing is rate
 * limited per client address: after `failedAuthPerAddress` 401s in a window, further requests
 * without a valid key get 429, while a valid key from the same address keeps working.
 */
@Injectable()
export class ApiKeyGuard implements PaymentsAuthGuard {
  private readonly logger = new Logger('ApiKeyGuard');
  private readonly limits: RateLimits;

  constructor(
    private readonly apiKeys: ApiKeyService,
    @Inject(PAYMENTS_OPTIONS) options: PaymentsModuleOptions,
    @Inject(RATE_LIMIT_STORE) private readonly store: RateLimitStore,
  ) {
    this.limits = rateLimitsOf(options);
  }

  async authenticate(context: ExecutionContext): Promise<PaymentsCaller> {
    const request = context.switchToHttp().getRequest<KeyedRequest>();
    const key = request.headers['x-api-key'];
    if (typeof key !== 'string' || key.length === 0 || key.length > 200) {
      await this.countFailure(request);
      throw new PaymentsException('Unauthorized', 'Send a valid API key in the x-api-key header');
    }
    const caller = await this.apiKeys.identify(key);
    if (!caller) {
      await this.countFailure(request);
      throw new PaymentsException('Unauthorized', 'The API key is not valid');
    }
    return {
      id: `api-key:${caller.keyId}`,
      companies: caller.companyId === null ? '*' : [caller.companyId],
    };
  }

  private async countFailure(request: KeyedRequest): Promise<void> {
    const { failedAuthPerAddress: limit, windowMs } = this.limits;
    if (limit <= 0) return;
    const address = clientIdentity(request.ip ?? request.socket?.remoteAddress);
    const { hits, resetMs } = await this.store.hit(`auth-fail:${address}`, windowMs);
    if (hits <= limit) return;
    if (hits === limit + 1) {
      this.logger.warn(
        `${limit} requests without a valid API key from ${address}: further ones get 429 for ${retryAfterSeconds(resetMs)} s`,
      );
    }
    throw new PaymentsException(
      'TooManyRequests',
      'Too many requests without a valid API key; retry after the time in Retry-After',
      [],
      retryAfterSeconds(resetMs),
    );
  }
}
