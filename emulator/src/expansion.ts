import type { SessionRecord } from './session-store.js';
import { invalidRequest } from './stripe-errors.js';

const EXPANDABLE = new Set(['line_items', 'payment_intent']);

export function checkExpand(expand: unknown, prefix = ''): string[] {
  if (!Array.isArray(expand)) return [];
  return expand.map((entry: unknown, i) => {
    const field = String(entry);
    const bare = prefix && field.startsWith(prefix) ? field.slice(prefix.length) : field;
    if (!EXPANDABLE.has(bare)) {
      throw invalidRequest(
        `This property cannot be expanded (${field.slice(0, 100)}).`,
        `expand[${i}]`,
      );
    }
    return bare;
  });
}

export function lineItemsList(record: SessionRecord, data = record.lineItems, hasMore = false) {
  return {
    object: 'list' as const,
    data,
    has_more: hasMore,
    url: `/v1/checkout/sessions/${record.session.id}/line_items`,
  };
}

/** The PaymentIntent of a completed session, carrying payment_intent_data[metadata]. */
export function paymentIntentFor(record: SessionRecord): Record<string, unknown> | null {
  const s = record.session;
  if (typeof s.payment_intent !== 'string') return null;
  const status = record.paymentIntentStatus ?? 'succeeded';
  return {
    id: s.payment_intent,
    object: 'payment_intent',
    amount: s.amount_total ?? 0,
    amount_capturable: 0,
    amount_received: status === 'succeeded' ? (s.amount_total ?? 0) : 0,
    application: null,
    application_fee_amount: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: 'automatic_async',
    client_secret: null,
    confirmation_method: 'automatic',
    created: s.created,
    currency: s.currency ?? 'usd',
    customer: s.customer,
    description: record.paymentIntentDescription,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    metadata: record.paymentIntentMetadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_types: ['card'],
    receipt_email: null,
    setup_future_usage: null,
    shipping: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status,
    transfer_data: null,
    transfer_group: null,
  };
}

/** The session as JSON, with requested expansions inlined. */
export function sessionBody(record: SessionRecord, expand: string[]): object {
  if (expand.length === 0) return record.session;
  const body: Record<string, unknown> = { ...record.session };
  for (const field of expand) {
    if (field === 'line_items') body.line_items = lineItemsList(record);
    if (field === 'payment_intent')
      body.payment_intent = paymentIntentFor(record) ?? record.session.payment_intent;
  }
  return body;
}
