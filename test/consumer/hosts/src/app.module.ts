import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PAYMENTS_ENTITIES, PAYMENTS_MIGRATIONS, PaymentsModule } from 'bokamera-payments';
import { CreateHostCompanies1700000000000 } from './create-host-companies.migration.js';
import { HostCompany } from './host-company.entity.js';
import { HostController } from './host.controller.js';
import { PaidBookings } from './paid-bookings.js';
import { HostSettings, HostSettingsModule } from './host-settings.js';
import { ShopController } from './shop.controller.js';
import { TickCounter } from './tick-counter.js';

@Module({
  imports: [
    HostSettingsModule,
    // The host's own scheduler: the module never imports a second one.
    ScheduleModule.forRoot(),
    // One connection for the host's tables and the module's (all named `payments_*`).
    TypeOrmModule.forRootAsync({
      imports: [HostSettingsModule],
      inject: [HostSettings],
      useFactory: (settings: HostSettings) => ({
        ...settings.database,
        entities: [HostCompany, ...PAYMENTS_ENTITIES],
        migrations: [CreateHostCompanies1700000000000, ...PAYMENTS_MIGRATIONS],
        migrationsRun: true,
      }),
    }),
    TypeOrmModule.forFeature([HostCompany]),
    // Mounts its operations and its webhook only; `health` and `predefinedRoutes` stay off.
    PaymentsModule.forRootAsync({
      imports: [HostSettingsModule],
      inject: [HostSettings],
      useFactory: (settings: HostSettings) => ({
        stripe: settings.stripe,
        webhooks: settings.webhooks,
      }),
    }),
  ],
  controllers: [HostController, ShopController],
  // PaidBookings listens with @OnPaymentEvent('payable.paid'): found at bootstrap.
  providers: [TickCounter, PaidBookings],
})
export class HostAppModule {}
