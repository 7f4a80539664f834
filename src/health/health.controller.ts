import {
  Controller,
  Get,
  Inject,
  Query,
  ServiceUnavailableException,
  UseFilters,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { TtlCache } from '../common/ttl-cache.js';
import { PaymentsExceptionFilter } from '../errors/payments-exception.filter.js';
import { PaymentsException } from '../errors/payments.exception.js';
import { PAYMENTS_OPTIONS } from '../payments.module-definition.js';
import type { PaymentsModuleOptions } from '../payments.options.js';
import { StripeGateway } from '../stripe/stripe.gateway.js';
import { ReadinessService } from './readiness.service.js';
import { Docs } from '../swagger/docs.js';

const DATABASE_TIMEOUT_MS = 2_000;
const STRIPE_TIMEOUT_MS = 2_000;

export interface HealthDetails {
  Status: 'ok';
  Database: 'ok';
  Stripe: 'ok' | 'unreachable';
}

@Docs((s) => s.ApiExcludeController())
@UseFilters(PaymentsExceptionFilter)
@Controller('health')
export class HealthController {
  /** An unauthenticated probe must not spend the account's Stripe rate limit: one check per ttl. */
  private readonly stripeReachable: TtlCache<boolean>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly stripe: StripeGateway,
    private readonly readiness: ReadinessService,
    @Inject(PAYMENTS_OPTIONS) options: PaymentsModuleOptions,
  ) {
    this.stripeReachable = new TtlCache(options.stripeHealthTtlMs ?? 10_000);
  }

  /** Healthy means the database answers; Stripe is reported apart, it is not ours to restart. */
  @Get()
  async health(@Query('details') details?: string): Promise<{ Status: 'ok' } | HealthDetails> {
    await this.checkDatabase();
    if (details !== 'true') return { Status: 'ok' };
    const stripeReachable = await this.stripeReachable.get('stripe', () =>
      this.stripe.isReachable(STRIPE_TIMEOUT_MS),
    );
    return { Status: 'ok', Database: 'ok', Stripe: stripeReachable ? 'ok' : 'unreachable' };
  }

  @Get('ready')
  ready(): { Status: 'ready' } {
    if (!this.readiness.ready) {
      throw new ServiceUnavailableException('This instance is shutting down');
    }
    return { Status: 'ready' };
  }

  private async checkDatabase(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    // A half-open connection never answers: the check must not hang with it.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), DATABASE_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.dataSource.query('SELECT 1'), timeout]);
    } catch {
      throw new PaymentsException('DatabaseUnavailable', 'The database does not answer', [], 5);
    } finally {
      clearTimeout(timer);
    }
  }
}
