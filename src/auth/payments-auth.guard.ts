import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { PAYMENTS_OPTIONS } from '../payments.module-definition.js';
import type { PaymentsModuleOptions } from '../payments.options.js';
import { ApiKeyGuard } from './api-key.guard.js';

/** The guard on every operation: ours, or the host app's replacement from the module options. */
@Injectable()
export class PaymentsAuthGuard implements CanActivate {
  private delegate: Promise<CanActivate> | undefined;

  constructor(
    @Inject(PAYMENTS_OPTIONS) private readonly options: PaymentsModuleOptions,
    private readonly moduleRef: ModuleRef,
    private readonly apiKeyGuard: ApiKeyGuard,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    this.delegate ??= this.options.authGuard
      ? this.moduleRef.create(this.options.authGuard)
      : Promise.resolve(this.apiKeyGuard);
    const guard = await this.delegate;
    return (await guard.canActivate(context)) as boolean;
  }
}
