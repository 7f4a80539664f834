export { PaymentsModule } from './payments.module.js';
export { PAYMENTS_OPTIONS } from './payments.module-definition.js';
export type { PaymentsModuleOptions, PaymentsStripeOptions } from './payments.options.js';
export {
  ApiKey,
  Article,
  ArticlePrice,
  ArticleType,
  Checkout,
  Company,
  Payable,
  PAYMENTS_ENTITIES,
  DEFAULT_TABLE_PREFIX,
  paymentsEntities,
  type PaymentsTablesOptions,
  StripeEvent,
} from './entities/index.js';
export { PAYMENTS_MIGRATIONS } from './migrations/index.js';
export { NO_PAD_BINARY_COLLATIONS } from './migrations/1764100000000-ByteExactIdentifiers.js';
export { StripeGateway } from './stripe/stripe.gateway.js';
export { ReadinessService } from './health/readiness.service.js';
export { StripeV1CreateCheckout } from './checkout/dto/stripe-v1-create-checkout.dto.js';
export { ArticleToCreate } from './checkout/dto/article-to-create.dto.js';
export { StripeCheckoutQueryResponse } from './checkout/dto/stripe-checkout-query-response.dto.js';
export { PaymentsException } from './errors/payments.exception.js';
export { seedDemoData, setDemoKeysActive } from './seed/demo-data.js';
export { PaymentsExceptionFilter } from './errors/payments-exception.filter.js';
export { useServiceStackBodyParsers } from './servicestack/body-parser-errors.js';
export { ServiceStackOperation } from './servicestack/servicestack-operation.decorator.js';
export type { PredefinedRoutesSwitch } from './servicestack/predefined-routes.js';
export { ReconciliationService } from './reconciliation/reconciliation.service.js';
export { setupSwagger, buildOpenApiDocument } from './swagger/setup-swagger.js';
export { DEMO_COMPANIES, DEMO_PLATFORM_KEY } from './seed/demo-data.js';
export { BODY_LIMIT_BYTES } from './servicestack/body-parser-errors.js';
export type { ErrorBody, ResponseStatus, ResponseError } from './errors/response-status.js';
