import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PaymentsAdminService } from './admin/payments-admin.service.js';
import { ApiKeyGuard } from './auth/api-key.guard.js';
import { ApiKeyService } from './auth/api-key.service.js';
import { OperationAuthGuard } from './auth/operation-auth.guard.js';
import { CheckoutQueryService } from './checkout/checkout-query.service.js';
import { CheckoutSyncService } from './checkout/checkout-sync.service.js';
import { CheckoutService } from './checkout/checkout.service.js';
import { CheckoutRetirementService } from './checkout/checkout-retirement.service.js';
import { CheckoutStore } from './checkout/checkout-store.js';
import { PayableLeaseService } from './checkout/payable-lease.service.js';
import { JobLeases } from './database/job-lease.js';
import { PaymentsDb } from './database/payments-db.js';
import { EventOutbox } from './events/event-outbox.js';
import { deliverySettings } from './delivery/delivery-settings.js';
import { DeliveryStore } from './delivery/delivery-store.js';
import { DELIVERY_SETTINGS } from './delivery/delivery-tokens.js';
import { DeliveryWorker } from './delivery/delivery-worker.js';
import { EventFanOut } from './delivery/event-fan-out.js';
import { PaymentEventHandlers } from './delivery/payment-event-handlers.js';
import { PaymentEventsController } from './delivery/payment-events.controller.js';
import { PaymentEventsService } from './delivery/payment-events.service.js';
import { WebhookEndpointsController } from './delivery/webhook-endpoints.controller.js';
import { WebhookEndpointsService } from './delivery/webhook-endpoints.service.js';
import { StripeCheckoutController } from './checkout/stripe-checkout.controller.js';
import { CompanyService } from './companies/company.service.js';
import { PAYMENTS_ENTITIES } from './entities/index.js';
import { ReadinessService } from './health/readiness.service.js';
import {
  PAYMENTS_ASYNC_OPTIONS_TYPE,
  PAYMENTS_OPTIONS,
  PAYMENTS_OPTIONS_TYPE,
  PaymentsConfigurableModule,
} from './payments.module-definition.js';
import type { PaymentsModuleOptions } from './payments.options.js';
import { PricingService } from './pricing/pricing.service.js';
import { RateLimiter } from './rate-limit/rate-limiter.js';
import {
  MemoryRateLimitStore,
  RATE_LIMIT_STORE,
  RedisRateLimitStore,
} from './rate-limit/rate-limit.store.js';
import { ReconciliationScheduler } from './reconciliation/reconciliation.scheduler.js';
import { ReconciliationService } from './reconciliation/reconciliation.service.js';
import { RetentionScheduler } from './retention/retention.scheduler.js';
import { RetentionService } from './retention/retention.service.js';
import { ServiceStackOperationRegistry } from './servicestack/operation-registry.js';
import { OperationRequestPipe } from './servicestack/operation-request.pipe.js';
import { withSwitches, type PaymentsModuleSwitches } from './payments-module-switches.js';
import { StripeGateway } from './stripe/stripe.gateway.js';
import { StripeWebhookController } from './webhooks/stripe-webhook.controller.js';
import { StripeWebhookService } from './webhooks/stripe-webhook.service.js';

@Module({
  imports: [TypeOrmModule.forFeature(PAYMENTS_ENTITIES)],
  controllers: [
    StripeCheckoutController,
    StripeWebhookController,
    WebhookEndpointsController,
    PaymentEventsController,
  ],
  providers: [
    // Also providers: the predefined routes run their operations through ExternalContextCreator.
    StripeCheckoutController,
    WebhookEndpointsController,
    PaymentEventsController,
    ApiKeyService,
    ApiKeyGuard,
    OperationAuthGuard,
    CompanyService,
    PricingService,
    PaymentsDb,
    PayableLeaseService,
    CheckoutStore,
    EventOutbox,
    CheckoutRetirementService,
    CheckoutService,
    PaymentsAdminService,
    CheckoutSyncService,
    CheckoutQueryService,
    StripeWebhookService,
    ReconciliationService,
    ReconciliationScheduler,
    JobLeases,
    RetentionService,
    RetentionScheduler,
    StripeGateway,
    ReadinessService,
    RateLimiter,
    OperationRequestPipe,
    DiscoveryService,
    ServiceStackOperationRegistry,
    WebhookEndpointsService,
    PaymentEventsService,
    PaymentEventHandlers,
    EventFanOut,
    DeliveryStore,
    DeliveryWorker,
    {
      provide: DELIVERY_SETTINGS,
      inject: [PAYMENTS_OPTIONS],
      useFactory: deliverySettings,
    },
    {
      provide: RATE_LIMIT_STORE,
      inject: [PAYMENTS_OPTIONS],
      useFactory: ({ rateLimit }: PaymentsModuleOptions) =>
        rateLimit?.redisUrl
          ? RedisRateLimitStore.connect(rateLimit.redisUrl)
          : new MemoryRateLimitStore(),
    },
  ],
  exports: [
    CheckoutService,
    CheckoutQueryService,
    PaymentsAdminService,
    ReconciliationService,
    RetentionService,
    ReadinessService,
    DeliveryWorker,
  ],
})
export class PaymentsModule extends PaymentsConfigurableModule {
  static override forRoot(
    options: typeof PAYMENTS_OPTIONS_TYPE & PaymentsModuleSwitches,
  ): DynamicModule {
    return withSwitches(super.forRoot(options), options);
  }

  static override forRootAsync(
    options: typeof PAYMENTS_ASYNC_OPTIONS_TYPE & PaymentsModuleSwitches,
  ): DynamicModule {
    return withSwitches(super.forRootAsync(options), options);
  }
}
