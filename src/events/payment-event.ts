import type { ExpireReason, OutboxEvent } from '../entities/index.js';

export type PaymentEventType =
  'payable.paid' | 'checkout.expired' | 'checkout.payment_failed' | 'payment.duplicate';

export const PAYMENT_EVENT_TYPES: readonly PaymentEventType[] = [
  'payable.paid',
  'checkout.expired',
  'checkout.payment_failed',
  'payment.duplicate',
];

export interface PaymentEventData {
  CheckoutId: string;
  SessionId: string | null;
  PaymentIntentId: string | null;
  /** Minor units. */
  AmountTotal: number;
  Currency: string;
  CustomerEmail: string | null;
  /** `checkout.expired` only: `timeout`, `invalidated` or `withdrawn`. */
  Reason: ExpireReason | null;
}

/** What receivers get, in-process and over HTTP: PascalCase like the rest of the API. */
export interface PaymentEvent {
  /** Stable and unique: the same on every delivery. */
  Id: string;
  Type: PaymentEventType;
  /** ISO 8601, UTC. */
  CreatedAt: string;
  CompanyId: string;
  InternalReferenceId: string;
  /** 1, 2, 3, ... per payable, in the order its changes were made. */
  Sequence: number;
  Data: PaymentEventData;
}

export function toPaymentEvent(row: OutboxEvent): PaymentEvent {
  return {
    Id: row.eventId,
    Type: row.type as PaymentEventType,
    CreatedAt: row.createdAt.toISOString(),
    CompanyId: row.companyId,
    InternalReferenceId: row.internalReferenceId,
    Sequence: row.sequence,
    Data: JSON.parse(row.data) as PaymentEventData,
  };
}
