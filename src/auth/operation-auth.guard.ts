import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { PaymentsException } from '../errors/payments.exception.js';
import { PAYMENTS_OPTIONS } from '../payments.module-definition.js';
import type { PaymentsModuleOptions } from '../payments.options.js';
import { RateLimiter } from '../rate-limit/rate-limiter.js';
import { ApiKeyGuard } from './api-key.guard.js';
import { setCallerOf, type PaymentsAuthGuard } from './payments-caller.js';

/**
 * The guard on every operation: authentication by our `x-api-key` guard or the host's
 * replacement, then the per-caller rate limit. Which companies the caller may act for is checked
 * later, against the bound request (OperationRequestPipe), in one place for every guard.
 */
@Injectable()
export class OperationAuthGuard implements CanActivate {
  private authenticator: Promise<PaymentsAuthGuard> | undefined;

  constructor(
    @Inject(PAYMENTS_OPTIONS) private readonly options: PaymentsModuleOptions,
    private readonly moduleRef: ModuleRef,
    private readonly apiKeyGuard: ApiKeyGuard,
    private readonly rateLimiter: RateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    this.authenticator ??= this.options.authGuard
      ? this.moduleRef.create(this.options.authGuard)
      : Promise.resolve(this.apiKeyGuard);
    const caller = await (await this.authenticator).authenticate(context);
    if (!caller) throw new PaymentsException('Unauthorized', 'The caller is not authenticated');
    await this.rateLimiter.perCaller(caller.id);
    setCallerOf(context.switchToHttp().getRequest<object>(), caller);
    return true;
  }
}
