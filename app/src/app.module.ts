import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from './config/app-config.js';
import { typeOrmOptions } from './database/typeorm-options.js';
import { PaymentsModule } from 'bokamera-payments';
import type { PaymentsStripeOptions } from 'bokamera-payments';

/** The standalone host: one TypeORM connection from DB_URL, migrations at start, the payments module. */
@Module({})
export class AppModule {
  static forConfig(config: AppConfig, stripe: PaymentsStripeOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRoot({ ...typeOrmOptions(config.database), migrationsRun: true }),
        PaymentsModule.forRoot({
          // The standalone service is the whole app: health and ServiceStack's predefined routes on.
          health: true,
          predefinedRoutes: true,
          stripe,
          production: config.nodeEnv === 'production',
          reconcileIntervalMs: config.reconcileIntervalMs,
          creatingGraceMs: config.creatingGraceMs,
          lockLeaseMarginMs: config.lockLeaseMarginMs,
          retention: config.retention,
          webhooks: config.webhooks,
          rateLimit: config.rateLimit,
        }),
      ],
    };
  }
}
