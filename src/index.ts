// The module, its options and the routes a host may switch on.
export { PaymentsModule } from './payments.module.js';
export { PAYMENTS_OPTIONS } from './payments.module-definition.js';
export type {
  PaymentsModuleOptions,
  PaymentsRateLimitOptions,
  PaymentsRetentionOptions,
  PaymentsStripeOptions,
  PaymentsWebhookOptions,
} from './payments.options.js';
export type { PaymentsModuleSwitches } from './payments-module-switches.js';

// Its tables, in the host's DataSource.
export {
  ApiKey,
  Article,
  ArticlePrice,
  ArticleType,
  Checkout,
  Company,
  DEFAULT_TABLE_PREFIX,
  JobLease,
  OutboxEvent,
  Payable,
  PAYMENTS_ENTITIES,
  paymentsEntities,
  StripeEvent,
  EventDelivery,
  WebhookAttempt,
  WebhookEndpointRecord,
  type CheckoutState,
  type PaymentsTablesOptions,
} from './entities/index.js';
export { PAYMENTS_MIGRATIONS } from './migrations/index.js';
export { NO_PAD_BINARY_COLLATIONS } from './migrations/binary-collation.js';

// Calling it from code.
export { CheckoutService } from './checkout/checkout.service.js';
export { PaymentsAdminService } from './admin/payments-admin.service.js';
export type {
  ApiKeyInput,
  ArticleInput,
  ArticlePriceInput,
  CompanyInput,
} from './admin/admin-input.js';
export {
  ReconciliationService,
  type ReconciliationReport,
} from './reconciliation/reconciliation.service.js';
export { RetentionService, type RetentionReport } from './retention/retention.service.js';
export { ReadinessService } from './health/readiness.service.js';

// The wire contract: request DTOs, responses, errors.
export { ArticleToCreate } from './checkout/dto/article-to-create.dto.js';
export {
  GetStripeCheckoutV1CheckoutStatus,
  StripeCheckoutStatusQueryResponse,
} from './checkout/dto/get-stripe-checkout-v1-checkout-status.dto.js';
export { GetStripeV1Checkout } from './checkout/dto/get-stripe-v1-checkout.dto.js';
export { StripeCheckoutQueryResponse } from './checkout/dto/stripe-checkout-query-response.dto.js';
export { StripeV1CreateCheckout } from './checkout/dto/stripe-v1-create-checkout.dto.js';
export {
  CreateWebhookEndpoint,
  DeleteWebhookEndpoint,
  GetWebhookEndpoint,
  ListWebhookEndpointAttempts,
  ListWebhookEndpoints,
  RecoverWebhookEndpoint,
  ResendWebhookEvent,
  RotateWebhookEndpointSecret,
  UpdateWebhookEndpoint,
} from './delivery/dto/webhook-endpoint-requests.dto.js';
export {
  WebhookAttemptResult,
  WebhookAttemptsResponse,
  WebhookEndpoint,
  WebhookEndpointsResponse,
  WebhookRequeueResponse,
} from './delivery/dto/webhook-endpoint-responses.dto.js';
export {
  GetPaymentEvents,
  PaymentEventMessage,
  PaymentEventsResponse,
} from './delivery/dto/payment-events.dto.js';
export { PaymentsException, type ErrorCode } from './errors/payments.exception.js';
export type { ErrorBody, ResponseError, ResponseStatus } from './errors/response-status.js';

// Events about payables, for a host's own handlers.
export {
  PAYMENT_EVENT_TYPES,
  type PaymentEvent,
  type PaymentEventData,
  type PaymentEventType,
} from './events/payment-event.js';
export type { ExpireReason } from './entities/index.js';
export {
  OnPaymentEvent,
  type PaymentEventSubscription,
} from './delivery/on-payment-event.decorator.js';
export { DeliveryWorker } from './delivery/delivery-worker.js';
export { DEFAULT_RETRY_SCHEDULE_MS, parseRetrySchedule } from './delivery/retry-schedule.js';

// What a host supplies: its own authentication.
export type { PaymentsAuthGuard, PaymentsCaller } from './auth/payments-caller.js';

// ServiceStack's wire format for a host's own operations, and for a whole app.
export { OperationRequest } from './servicestack/operation-request.js';
export { ServiceStackOperation } from './servicestack/servicestack-operation.decorator.js';
export { BODY_LIMIT_BYTES, useServiceStackBodyParsers } from './servicestack/body-parser-errors.js';
export { useServiceStackErrors } from './servicestack/app-wide-errors.js';

// The OpenAPI document and Swagger UI (with the optional peer @nestjs/swagger).
export { buildOpenApiDocument, setupSwagger } from './swagger/setup-swagger.js';
