import { getMetadataArgsStorage, type ObjectLiteral } from 'typeorm';
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

export const DEFAULT_TABLE_PREFIX = 'payments_';

export type PaymentsEntity = new () => ObjectLiteral;

/** Every entity of the module with its table's name before the prefix, in creation order. */
export const BASE_TABLE_NAMES = new Map<PaymentsEntity, string>([
  [Company, 'companies'],
  [ApiKey, 'api_keys'],
  [ArticleType, 'article_types'],
  [Article, 'articles'],
  [ArticlePrice, 'article_prices'],
  [Payable, 'payables'],
  [Checkout, 'checkouts'],
  [StripeEvent, 'stripe_events'],
  [OutboxEvent, 'events'],
  [JobLease, 'job_leases'],
  [WebhookEndpointRecord, 'webhook_endpoints'],
  [EventDelivery, 'event_deliveries'],
  [WebhookAttempt, 'webhook_attempts'],
]);

/**
 * The tables of the first schema, as the early migrations knew them: a migration works on the
 * tables of its own time only (a later table named `events` may well be a host's own).
 */
export const INITIAL_TABLES = [...BASE_TABLE_NAMES].slice(0, 8);

export interface PaymentsTablesOptions {
  /** Put before every table name of the module, so a host's own tables are never touched. */
  tablePrefix?: string;
}

/**
 * The module's entities, their tables named `<tablePrefix><name>` (`payments_` by default). The
 * names live in TypeORM's global metadata, so one process has one prefix: call this before the
 * DataSource initializes. The migrations read the names back from the DataSource.
 */
export function paymentsEntities({
  tablePrefix = DEFAULT_TABLE_PREFIX,
}: PaymentsTablesOptions = {}) {
  if (!/^[A-Za-z0-9_]{0,24}$/.test(tablePrefix)) {
    throw new Error('tablePrefix: letters, digits and _ only, at most 24 characters');
  }
  const tables = getMetadataArgsStorage().tables;
  for (const [entity, base] of BASE_TABLE_NAMES) {
    const table = tables.find((args) => args.target === entity);
    if (!table) throw new Error(`${entity.name} is not an entity`);
    table.name = `${tablePrefix}${base}`;
  }
  return [...BASE_TABLE_NAMES.keys()];
}
