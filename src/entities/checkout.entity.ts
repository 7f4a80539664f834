import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

export type CheckoutState = 'creating' | 'open' | 'complete' | 'expired' | 'failed';
export type UiMode = 'hosted' | 'embedded';
/** Why a session ended unpaid: Stripe expired it, a newer checkout replaced it, or we withdrew it. */
export type ExpireReason = 'timeout' | 'invalidated' | 'withdrawn';

export interface LineItemSnapshot {
  articleId: number;
  articleTypeId: number;
  name: string;
  quantity: number;
  unitAmount: number;
  vatBasisPoints: number;
}

@Entity('checkouts')
@Unique('UQ_checkouts_stripe_session_id', ['stripeSessionId'])
@Unique('UQ_checkouts_idempotency_key', ['idempotencyKey'])
// A payable's open checkout, and its newest: both served in index order, never sorted.
@Index('IX_checkouts_payable_state_created', ['payableId', 'state', 'createdAt', 'id'])
@Index('IX_checkouts_payable_created', ['payableId', 'createdAt', 'id'])
// Reconciliation's stale rows: creating, open, complete-and-unpaid.
@Index('IX_checkouts_state_payment_updated', ['state', 'paymentStatus', 'updatedAt'])
export class Checkout {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'payable_id', type: 'varchar', length: 36 })
  payableId: string;

  @Column({ name: 'company_id', type: 'varchar', length: 36 })
  companyId: string;

  @Column({ type: 'varchar', length: 16 })
  state: CheckoutState;

  @Column({ name: 'payment_status', type: 'varchar', length: 32, nullable: true })
  paymentStatus: string | null;

  @Column({ name: 'ui_mode', type: 'varchar', length: 16 })
  uiMode: UiMode;

  @Column({ name: 'stripe_session_id', type: 'varchar', length: 255, nullable: true })
  stripeSessionId: string | null;

  @Column({ name: 'stripe_account_id', type: 'varchar', length: 255 })
  stripeAccountId: string;

  @Column({ name: 'customer_id', type: 'varchar', length: 255, nullable: true })
  customerId: string | null;

  @Column({ name: 'customer_email', type: 'varchar', length: 320, nullable: true })
  customerEmail: string | null;

  @Column({ name: 'payment_intent_id', type: 'varchar', length: 255, nullable: true })
  paymentIntentId: string | null;

  @Column({ type: 'varchar', length: 2048, nullable: true })
  url: string | null;

  @Column({ name: 'amount_total', type: 'int' })
  amountTotal: number;

  @Column({ type: 'varchar', length: 3 })
  currency: string;

  @Column({ name: 'line_items', type: 'simple-json' })
  lineItems: LineItemSnapshot[];

  /**
   * The exact create parameters (JSON), so a crashed create can be replayed under the same key;
   * dropped once the session is known.
   */
  @Column({ name: 'stripe_request', type: 'text', nullable: true })
  stripeRequest: string | null;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 64 })
  idempotencyKey: string;

  @Column({ name: 'invalidated_by', type: 'varchar', length: 36, nullable: true })
  invalidatedBy: string | null;

  /**
   * Why we are expiring the session, written before Stripe is asked: whoever records the expiry
   * (this path, or the webhook Stripe sends for it) reports that reason; else Stripe's `timeout`.
   */
  @Column({ name: 'expire_reason', type: 'varchar', length: 16, nullable: true })
  expireReason: ExpireReason | null;

  /** A payment completed on a session that had been invalidated: money to give back. */
  @Column({ name: 'refund_required', type: 'boolean', default: false })
  refundRequired: boolean;

  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt: Date;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
