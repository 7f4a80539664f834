import { randomUUID } from 'node:crypto';
import type { DataSource, ObjectLiteral, EntityTarget } from 'typeorm';
import { timeOrderedId } from '../../src/common/time-ordered-id.js';
import {
  Article,
  ArticlePrice,
  Checkout,
  Company,
  EventDelivery,
  OutboxEvent,
  Payable,
  StripeEvent,
  WebhookAttempt,
  WebhookEndpointRecord,
  type CheckoutState,
} from '../../src/index.js';
import { SALON, SALON_ACCOUNT } from './test-app.js';

export interface History {
  /** A payable with thousands of checkouts behind it (every one replaced or expired). */
  busyPayableRef: string;
}

const DAY_MS = 86_400_000;

/**
 * A database that has been in use for a while, with the service's own row shapes: payables with
 * one checkout each in a settled state (most expired, some paid, a few failed), one payable with
 * `busyCheckouts` checkouts, processed Stripe events and outbox events over the past months; and
 * other companies with their catalogs, as many as a platform serves.
 */
export async function seedHistory(
  dataSource: DataSource,
  { payables = 3000, busyCheckouts = 2000, companies = 300, events = 10_000 } = {},
): Promise<History> {
  await seedCatalogs(dataSource, companies);
  const busyPayableRef = `busy-${randomUUID()}`;
  const start = Date.now() - 200 * DAY_MS;
  const payableRows: Partial<Payable>[] = [];
  const checkoutRows: Partial<Checkout>[] = [];
  for (let i = 0; i < payables; i++) {
    const createdAt = new Date(start + i * ((200 * DAY_MS) / payables));
    const payable = payableRow(`history-${i}`, createdAt);
    const state: CheckoutState = i % 10 < 7 ? 'expired' : i % 10 < 9 ? 'complete' : 'failed';
    const checkout = checkoutRow(payable.id as string, state, createdAt);
    if (state === 'complete')
      Object.assign(payable, { paidAt: createdAt, paidCheckoutId: checkout.id });
    payableRows.push(payable);
    checkoutRows.push(checkout);
  }
  const busy = payableRow(busyPayableRef, new Date(start));
  payableRows.push(busy);
  for (let i = 0; i < busyCheckouts; i++) {
    const createdAt = new Date(start + i * 60_000);
    checkoutRows.push(
      checkoutRow(busy.id as string, i % 50 === 0 ? 'failed' : 'expired', createdAt),
    );
  }
  await insertAll(dataSource, Payable, payableRows);
  await insertAll(dataSource, Checkout, checkoutRows);
  // Events over the same months: several per checkout (created, expired or paid, Stripe's).
  const eventTimes = Array.from(
    { length: events },
    (_, i) => new Date(start + i * ((200 * DAY_MS) / events)),
  );
  await insertAll(
    dataSource,
    StripeEvent,
    eventTimes.map((at) => ({
      eventId: `evt_${randomUUID().replaceAll('-', '')}`,
      type: 'checkout.session.expired',
      account: SALON_ACCOUNT,
      receivedAt: at,
      processedAt: at,
    })),
  );
  const outboxRows = eventTimes.map((at, i): Partial<OutboxEvent> => ({
    eventId: timeOrderedId(),
    type: 'checkout.expired',
    companyId: SALON,
    payableId: payableRows[i % payables].id,
    internalReferenceId: `history-${i % payables}`,
    sequence: 1 + Math.floor(i / payables),
    data: '{}',
    // A few not fanned out yet: retention keeps those, however old.
    fannedOut: i % 100 !== 0,
    createdAt: at,
  }));
  await insertAll(dataSource, OutboxEvent, outboxRows);
  await seedDeliveries(dataSource, outboxRows);
  return { busyPayableRef };
}

/** An endpoint (disabled since) that was sent every fanned-out event, with its attempts log. */
async function seedDeliveries(dataSource: DataSource, events: Partial<OutboxEvent>[]) {
  const endpointId = randomUUID();
  const now = new Date();
  const endpoint = (id: string, companyId: string): Partial<WebhookEndpointRecord> => ({
    id,
    companyId,
    url: 'https://booking.example/hooks/payments',
    description: 'history',
    disabled: true,
    disabledReason: 'gone',
    eventTypes: '["*"]',
    secret: `whsec_${Buffer.from(randomUUID()).toString('base64')}`,
    createdAt: now,
    updatedAt: now,
  });
  // Other companies' endpoints too: a platform has many.
  await insertAll(dataSource, WebhookEndpointRecord, [
    endpoint(endpointId, SALON),
    ...Array.from({ length: 500 }, () => endpoint(randomUUID(), randomUUID())),
  ]);
  const positions = await dataSource
    .getRepository(OutboxEvent)
    .find({ select: { position: true, eventId: true } });
  const positionOf = new Map(positions.map((row) => [row.eventId, row.position]));
  const deliveries = events
    .filter((event) => event.fannedOut)
    .map((event): Partial<EventDelivery> => ({
      id: timeOrderedId(),
      eventPosition: positionOf.get(event.eventId!),
      eventId: event.eventId,
      subscriber: endpointId,
      state: 'delivered',
      attempts: 1,
      nextAttemptAt: event.createdAt,
      lastStatus: 200,
      createdAt: event.createdAt,
      deliveredAt: event.createdAt,
    }));
  await insertAll(dataSource, EventDelivery, deliveries);
  await insertAll(
    dataSource,
    WebhookAttempt,
    deliveries.map((delivery): Partial<WebhookAttempt> => ({
      id: timeOrderedId(),
      deliveryId: delivery.id,
      endpointId,
      eventId: delivery.eventId,
      eventType: 'checkout.expired',
      attemptedAt: delivery.createdAt,
      statusCode: 200,
      latencyMs: 12,
      responseBody: 'ok',
    })),
  );
}

async function seedCatalogs(dataSource: DataSource, companies: number): Promise<void> {
  const now = new Date();
  const companyIds = Array.from({ length: companies }, () => randomUUID());
  await insertAll(
    dataSource,
    Company,
    companyIds.map((id, i) => ({
      id,
      name: `Company ${i}`,
      stripeCheckoutEnabled: true,
      stripeAccountId: `acct_1History${String(i).padStart(6, '0')}`,
      defaultCurrency: 'SEK',
      createdAt: now,
      updatedAt: now,
    })),
  );
  const articles = companyIds.flatMap((companyId) =>
    [1, 2, 3, 4, 5].map((articleId) => ({
      companyId,
      articleTypeId: 1,
      articleId,
      name: `Article ${articleId}`,
      active: true,
    })),
  );
  await insertAll(dataSource, Article, articles);
  const saved = await dataSource.getRepository(Article).find({ select: { id: true } });
  await insertAll(
    dataSource,
    ArticlePrice,
    saved.flatMap(({ id }): Partial<ArticlePrice>[] => [
      {
        articleRef: id,
        countryCode: null,
        currency: 'SEK',
        unitAmount: 10000,
        vatBasisPoints: 2500,
      },
      {
        articleRef: id,
        countryCode: 'NO',
        currency: 'NOK',
        unitAmount: 11000,
        vatBasisPoints: 2500,
      },
    ]),
  );
}

function payableRow(internalReferenceId: string, createdAt: Date): Partial<Payable> {
  return {
    id: timeOrderedId(),
    companyId: SALON,
    internalReferenceId,
    eventSequence: 1,
    createdAt,
    updatedAt: createdAt,
  };
}

function checkoutRow(payableId: string, state: CheckoutState, createdAt: Date): Partial<Checkout> {
  const id = timeOrderedId();
  const updatedAt = new Date(createdAt.getTime() + 3600_000);
  return {
    id,
    payableId,
    companyId: SALON,
    state,
    paymentStatus: state === 'complete' ? 'paid' : 'unpaid',
    uiMode: 'hosted',
    stripeSessionId: `cs_test_history_${id.replaceAll('-', '')}`,
    stripeAccountId: SALON_ACCOUNT,
    url: `https://checkout.stripe.com/c/pay/cs_test_history_${id}`,
    amountTotal: 45000,
    currency: 'sek',
    lineItems: [
      {
        articleId: 1,
        articleTypeId: 1,
        name: 'Haircut 45 min',
        quantity: 1,
        unitAmount: 45000,
        vatBasisPoints: 2500,
      },
    ],
    stripeRequest: null,
    idempotencyKey: `checkout-${id}`,
    expireReason: state === 'expired' ? 'timeout' : null,
    expiresAt: updatedAt,
    createdAt,
    updatedAt,
  };
}

async function insertAll<T extends ObjectLiteral>(
  dataSource: DataSource,
  entity: EntityTarget<T>,
  rows: Partial<T>[],
): Promise<void> {
  const repository = dataSource.getRepository(entity);
  for (let i = 0; i < rows.length; i += 100) {
    await repository.insert(rows.slice(i, i + 100) as never);
  }
}
