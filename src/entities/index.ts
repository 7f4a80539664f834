import { ApiKey } from './api-key.entity.js';
import { ArticlePrice } from './article-price.entity.js';
import { ArticleType } from './article-type.entity.js';
import { Article } from './article.entity.js';
import { Checkout } from './checkout.entity.js';
import { Company } from './company.entity.js';
import { JobLease } from './job-lease.entity.js';
import { Payable } from './payable.entity.js';
import { OutboxEvent } from './outbox-event.entity.js';
import { StripeEvent } from './stripe-event.entity.js';
import { EventDelivery } from './event-delivery.entity.js';
import { WebhookAttempt } from './webhook-attempt.entity.js';
import { WebhookEndpointRecord } from './webhook-endpoint.entity.js';
import { paymentsEntities } from './table-prefix.js';

export {
  ApiKey,
  Article,
  ArticlePrice,
  ArticleType,
  Checkout,
  Company,
  JobLease,
  Payable,
  OutboxEvent,
  StripeEvent,
  EventDelivery,
  WebhookAttempt,
  WebhookEndpointRecord,
};
export type { DeliveryState } from './event-delivery.entity.js';
export type { CheckoutState, ExpireReason, LineItemSnapshot, UiMode } from './checkout.entity.js';

export {
  DEFAULT_TABLE_PREFIX,
  paymentsEntities,
  type PaymentsTablesOptions,
} from './table-prefix.js';

/** The entities with the default table prefix (`payments_`); see `paymentsEntities()`. */
export const PAYMENTS_ENTITIES = paymentsEntities();
