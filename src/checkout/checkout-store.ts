import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { PaymentsDb } from '../database/payments-db.js';
import { Checkout, Payable, type CheckoutState, type ExpireReason } from '../entities/index.js';
import { EventOutbox } from '../events/event-outbox.js';
import type { CheckoutSession } from '../stripe/stripe.gateway.js';

/** Rows that may still hold, or come to hold, a payable Stripe session. */
const LIVE_STATES: CheckoutState[] = ['creating', 'open'];

/** The checkout and payable rows: every read and state write of the checkout paths, in one place. */
@Injectable()
export class CheckoutStore {
  private readonly checkouts: string;
  private readonly payables: string;

  private readonly insertCheckout: string;

  constructor(
    private readonly db: PaymentsDb,
    private readonly outbox: EventOutbox,
  ) {
    this.checkouts = db.table(Checkout);
    this.payables = db.table(Payable);
    this.insertCheckout =
      `INSERT INTO ${this.checkouts} (id, payable_id, company_id, state, payment_status, ui_mode, ` +
      'stripe_session_id, stripe_account_id, customer_id, customer_email, payment_intent_id, url, ' +
      'amount_total, currency, line_items, stripe_request, idempotency_key, invalidated_by, ' +
      'expire_reason, refund_required, expires_at, created_at, updated_at) ' +
      `VALUES (${Array(23).fill('?').join(', ')})`;
  }

  findPayable(companyId: string, internalReferenceId: string): Promise<Payable | null> {
    return this.db.run((m) =>
      m.getRepository(Payable).findOneBy({ companyId, internalReferenceId }),
    );
  }

  findById(id: string): Promise<Checkout | null> {
    return this.db.run((m) => m.getRepository(Checkout).findOneBy({ id }));
  }

  findBySession(companyId: string, stripeSessionId: string): Promise<Checkout | null> {
    return this.db.run((m) => m.getRepository(Checkout).findOneBy({ companyId, stripeSessionId }));
  }

  findAnyBySession(stripeSessionId: string): Promise<Checkout | null> {
    return this.db.run((m) => m.getRepository(Checkout).findOneBy({ stripeSessionId }));
  }

  /** The payable's checkouts that are creating, open or complete, oldest first. */
  async unsettledOf(payableId: string): Promise<Checkout[]> {
    const rows = await this.db.run((m) =>
      m.getRepository(Checkout).find({
        where: { payableId, state: In([...LIVE_STATES, 'complete']) },
      }),
    );
    // A handful of rows: sorted here, so the index serves three state ranges without a sort.
    return rows.sort(
      (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id),
    );
  }

  /**
   * The payable's open checkout (the newest, should a crash have left two), else its newest that
   * reached Stripe.
   */
  async current(payableId: string): Promise<Checkout | null> {
    return (
      (await this.newest(payableId, "c.state = 'open'")) ??
      (await this.newest(payableId, 'c.stripe_session_id IS NOT NULL'))
    );
  }

  private newest(payableId: string, where: string): Promise<Checkout | null> {
    return this.db.run((m) =>
      m
        .getRepository(Checkout)
        .createQueryBuilder('c')
        .where(`c.payable_id = :payableId AND ${where}`, { payableId })
        .orderBy('c.created_at', 'DESC')
        .addOrderBy('c.id', 'DESC')
        .getOne(),
    );
  }

  /** The row read with a lock inside a transaction: the latest committed version, not a snapshot. */
  async lockedById(manager: EntityManager, id: string): Promise<Checkout> {
    const query = manager
      .getRepository(Checkout)
      .createQueryBuilder('c')
      .where('c.id = :id', { id });
    if (this.db.kind === 'mysql') query.setLock('pessimistic_write');
    const row = await query.getOne();
    if (!row) throw new Error(`Checkout ${id} does not exist`);
    return row;
  }

  /**
   * The write-ahead row of the payable, dated when it is written: under the payable's lease, so
   * its dates order the payable's checkouts as they were made.
   */
  async insertWriteAhead(manager: EntityManager, checkout: Checkout, payableId: string) {
    const now = new Date();
    Object.assign(checkout, { payableId, createdAt: now, updatedAt: now });
    // One prepared statement on the hot path; every column is set, nothing is read back.
    await this.db.preparedSql(manager, this.insertCheckout, [
      checkout.id,
      checkout.payableId,
      checkout.companyId,
      checkout.state,
      checkout.paymentStatus,
      checkout.uiMode,
      checkout.stripeSessionId,
      checkout.stripeAccountId,
      checkout.customerId,
      checkout.customerEmail,
      checkout.paymentIntentId,
      checkout.url,
      checkout.amountTotal,
      checkout.currency,
      JSON.stringify(checkout.lineItems),
      checkout.stripeRequest,
      checkout.idempotencyKey,
      checkout.invalidatedBy,
      checkout.expireReason,
      checkout.refundRequired,
      checkout.expiresAt,
      checkout.createdAt,
      checkout.updatedAt,
    ]);
  }

  /** The session of a write-ahead row, found again by replaying its create. */
  async linkSession(checkoutId: string, sessionId: string): Promise<void> {
    await this.db.run((m) =>
      this.db.sql(
        m,
        `UPDATE ${this.checkouts} SET stripe_session_id = ?, stripe_request = NULL WHERE id = ? AND stripe_session_id IS NULL`,
        [sessionId, checkoutId],
      ),
    );
  }

  /** The payable's unsettled rows were compared with Stripe at `checkedAt`. */
  async markChecked(payableId: string, checkedAt: Date): Promise<void> {
    await this.db.run((m) =>
      this.db.sql(
        m,
        `UPDATE ${this.checkouts} SET updated_at = ? WHERE payable_id = ? ` +
          `AND state IN ('creating', 'open', 'complete') AND updated_at < ?`,
        [checkedAt, payableId, checkedAt],
      ),
    );
  }

  /** A write-ahead row whose session exists: it is the payable's open checkout now. */
  async markOpen(manager: EntityManager, checkout: Checkout, session: CheckoutSession) {
    const updatedAt = new Date();
    const { affected } = await this.db.preparedSql(
      manager,
      // The create's parameters were kept only to replay it: the session is known now.
      `UPDATE ${this.checkouts} SET state = 'open', stripe_session_id = ?, payment_status = ?, url = ?, ` +
        `stripe_request = NULL, updated_at = ? WHERE id = ? AND state = 'creating'`,
      [session.id, session.payment_status, session.url ?? null, updatedAt, checkout.id],
    );
    if (affected === 1) {
      Object.assign(checkout, {
        state: 'open',
        stripeRequest: null,
        stripeSessionId: session.id,
        paymentStatus: session.payment_status,
        url: session.url ?? null,
        updatedAt,
      });
    }
    return affected === 1;
  }

  /**
   * Why we are about to expire the session, before Stripe is asked: so the expiry carries this
   * reason whichever path records it (ours, or the webhook Stripe sends for it).
   */
  async intendExpiry(
    checkout: Checkout,
    reason: ExpireReason,
    replacedBy: string | null,
  ): Promise<void> {
    Object.assign(checkout, { expireReason: reason, invalidatedBy: replacedBy });
    await this.db.run((m) =>
      this.db.sql(
        m,
        `UPDATE ${this.checkouts} SET expire_reason = ?, invalidated_by = ? WHERE id = ? AND state IN ('creating', 'open')`,
        [reason, replacedBy, checkout.id],
      ),
    );
  }

  /**
   * A session Stripe confirmed expired, or that can no longer exist: the row ends `expired`, with
   * its `checkout.expired` event when a session existed.
   */
  async markExpired(
    manager: EntityManager,
    checkout: Checkout,
    paymentStatus: string | null,
    reason: ExpireReason,
    replacedBy: string | null,
  ): Promise<void> {
    const { affected } = await this.db.sql(
      manager,
      `UPDATE ${this.checkouts} SET state = 'expired', payment_status = ?, expire_reason = ?, invalidated_by = ?, updated_at = ? ` +
        `WHERE id = ? AND state IN ('creating', 'open')`,
      [paymentStatus ?? checkout.paymentStatus, reason, replacedBy, new Date(), checkout.id],
    );
    if (affected === 0) return;
    Object.assign(checkout, { state: 'expired', expireReason: reason, invalidatedBy: replacedBy });
    if (checkout.stripeSessionId)
      await this.outbox.add(manager, 'checkout.expired', checkout, reason);
  }

  /** Stripe refused the create for good: no session exists. */
  async markRefused(checkoutId: string): Promise<void> {
    await this.db.run((m) =>
      this.db.sql(
        m,
        `UPDATE ${this.checkouts} SET state = 'failed', updated_at = ? WHERE id = ? AND state = 'creating'`,
        [new Date(), checkoutId],
      ),
    );
  }

  /** A delayed payment method failed: the session is complete at Stripe, and unpaid for good. */
  async markPaymentFailed(manager: EntityManager, checkout: Checkout): Promise<void> {
    const { affected } = await this.db.sql(
      manager,
      `UPDATE ${this.checkouts} SET state = 'failed', updated_at = ? WHERE id = ? AND state = 'complete' ` +
        `AND payment_status = 'unpaid'`,
      [new Date(), checkout.id],
    );
    if (affected === 0) return;
    checkout.state = 'failed';
    await this.outbox.add(manager, 'checkout.payment_failed', checkout);
  }

  async applyChanges(
    manager: EntityManager,
    checkout: Checkout,
    changes: Partial<Checkout>,
  ): Promise<void> {
    Object.assign(checkout, changes, { updatedAt: new Date() });
    await manager
      .getRepository(Checkout)
      .update({ id: checkout.id }, { ...changes, updatedAt: checkout.updatedAt });
  }

  /**
   * Records the payable's payment by this checkout. False when another checkout is recorded as its
   * payer — read with a lock, so a concurrent recording of the same payment is seen committed.
   */
  async markPayablePaid(manager: EntityManager, checkout: Checkout): Promise<boolean> {
    const now = new Date();
    const { affected } = await this.db.sql(
      manager,
      `UPDATE ${this.payables} SET paid_at = ?, paid_checkout_id = ?, updated_at = ? WHERE id = ? AND paid_at IS NULL`,
      [now, checkout.id, now, checkout.payableId],
    );
    if (affected === 1) return true;
    const { rows } = await this.db.sql<{ paid_checkout_id: string | null }>(
      manager,
      `SELECT paid_checkout_id FROM ${this.payables} WHERE id = ?${this.db.forUpdate()}`,
      [checkout.payableId],
    );
    return rows[0]?.paid_checkout_id === checkout.id;
  }
}
