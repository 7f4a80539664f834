import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PaymentsDb } from '../database/payments-db.js';
import type { Checkout } from '../entities/index.js';
import { PaymentsException } from '../errors/payments.exception.js';
import {
  StripeGateway,
  type CheckoutSession,
  type CheckoutSessionCreateParams,
} from '../stripe/stripe.gateway.js';
import { becomesPaid, isPaid, sessionChanges } from './checkout-states.js';
import { EventOutbox } from '../events/event-outbox.js';
import { CheckoutStore } from './checkout-store.js';

/**
 * Brings our rows in line with a session as Stripe reports it. Transitions only move forward
 * (see checkout-states.ts); a payment is recorded once, and flagged only when another checkout is
 * really recorded as the payable's payer.
 */
@Injectable()
export class CheckoutSyncService {
  private readonly logger = new Logger('CheckoutSync');

  constructor(
    private readonly db: PaymentsDb,
    private readonly store: CheckoutStore,
    private readonly outbox: EventOutbox,
    private readonly stripe: StripeGateway,
  ) {}

  /**
   * Creates the session of a write-ahead row at Stripe, or replays it under the same key and
   * parameters. A refusal is final and marks the row failed; any other failure may have created
   * the session, so the row stays `creating` for whoever holds the payable's lease next.
   */
  async createFromWriteAhead(checkout: Checkout): Promise<CheckoutSession> {
    if (checkout.stripeRequest === null) {
      throw new Error(`Checkout ${checkout.id} has its session already: nothing to replay`);
    }
    try {
      return await this.stripe.createSession(
        checkout.stripeAccountId,
        JSON.parse(checkout.stripeRequest) as CheckoutSessionCreateParams,
        checkout.idempotencyKey,
      );
    } catch (error) {
      if (error instanceof PaymentsException && error.code === 'StripeError') {
        await this.store.markRefused(checkout.id);
        checkout.state = 'failed';
      }
      throw error;
    }
  }

  /** Applies the session; when it records a payment, the payable's other open sessions are expired. */
  async apply(checkout: Checkout, session: CheckoutSession): Promise<Checkout> {
    // Most reads find nothing new: no transaction, no write.
    if (Object.keys(sessionChanges(checkout, session)).length === 0) return checkout;
    const updated = await this.db.transaction((manager) =>
      this.applyWith(manager, checkout.id, session),
    );
    Object.assign(checkout, updated);
    if (isPaid(session)) await this.expireOthers(updated);
    return updated;
  }

  /**
   * The database part of apply(), inside the caller's transaction; no Stripe call. The events of
   * what changed are written in the same transaction: a first payment, a second one, an expiry.
   */
  async applyWith(
    manager: EntityManager,
    checkoutId: string,
    session: CheckoutSession,
  ): Promise<Checkout> {
    // A locked read: two paths applying the same payment at once see each other's commit.
    const checkout = await this.store.lockedById(manager, checkoutId);
    const changes: Partial<Checkout> = sessionChanges(checkout, session);
    if (Object.keys(changes).length === 0) return checkout;
    const paid = becomesPaid(checkout, changes);
    // Completed, not expired after all: an expiry we had intended did not happen.
    if (changes.state === 'complete')
      Object.assign(changes, { expireReason: null, invalidatedBy: null });
    if (changes.state === 'expired') changes.expireReason = checkout.expireReason ?? 'timeout';
    const duplicate = paid && !(await this.store.markPayablePaid(manager, checkout));
    if (duplicate) {
      this.logger.error(
        `Duplicate payment: checkout ${checkout.id} (session ${session.id}) was paid although another ` +
          `checkout already paid payable ${checkout.payableId}; flagged for refund`,
      );
      changes.refundRequired = true;
    }
    await this.store.applyChanges(manager, checkout, changes);
    if (paid)
      await this.outbox.add(manager, duplicate ? 'payment.duplicate' : 'payable.paid', checkout);
    if (changes.state === 'expired') {
      await this.outbox.add(manager, 'checkout.expired', checkout, checkout.expireReason);
    }
    return checkout;
  }

  /**
   * A paid payable keeps no open session, so the customer cannot pay twice. Best effort: the
   * payment is recorded already, and reconciliation expires whatever is left when Stripe fails here.
   */
  async expireOthers(paid: Checkout): Promise<void> {
    const others = (await this.store.unsettledOf(paid.payableId)).filter(
      (row) => row.id !== paid.id && row.state === 'open' && row.stripeSessionId,
    );
    for (const other of others) {
      try {
        await this.store.intendExpiry(other, 'withdrawn', null);
        const session = await this.stripe.expireSession(
          other.stripeAccountId,
          other.stripeSessionId as string,
        );
        if (session.status === 'complete') await this.apply(other, session);
        else
          await this.db.transaction((m) =>
            this.store.markExpired(m, other, session.payment_status, 'withdrawn', null),
          );
      } catch (error) {
        this.logger.warn(
          `Checkout ${other.id} stays open beside the paid ${paid.id} until reconciliation: ${String(error)}`,
        );
      }
    }
  }
}
