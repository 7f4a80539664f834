import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsNull, Not, type DataSource, type EntityManager } from 'typeorm';
import { retryOnTransientDbError } from '../common/transient-db-error.js';
import { Checkout, Payable } from '../entities/index.js';
import { PaymentsException } from '../errors/payments.exception.js';
import {
  StripeGateway,
  type CheckoutSession,
  type CheckoutSessionCreateParams,
} from '../stripe/stripe.gateway.js';

const PAID_STATUSES = new Set(['paid', 'no_payment_required']);

/**
 * Brings our rows in line with a session as Stripe reports it. Transitions only move forward:
 * a complete/paid checkout is never turned back by a late or reordered event.
 */
@Injectable()
export class CheckoutSyncService {
  private readonly logger = new Logger('CheckoutSync');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly stripe: StripeGateway,
  ) {}

  /**
   * Creates the session of a write-ahead row at Stripe, or replays it under the same key and
   * parameters. A refusal is final and marks the row failed; any other failure may have created
   * the session, so the row stays `creating` for reconciliation.
   */
  async createFromWriteAhead(checkout: Checkout): Promise<CheckoutSession> {
    try {
      return await this.stripe.createSession(
        checkout.stripeAccountId,
        JSON.parse(checkout.stripeRequest) as CheckoutSessionCreateParams,
        checkout.idempotencyKey,
      );
    } catch (error) {
      if (error instanceof PaymentsException && error.code === 'StripeError') {
        await this.dataSource
          .getRepository(Checkout)
          .update({ id: checkout.id }, { state: 'failed', updatedAt: new Date() });
      }
      throw error;
    }
  }

  /** Applies the session; when it is a payment, expires the payable's other open sessions. */
  async apply(checkout: Checkout, session: CheckoutSession): Promise<Checkout> {
    // Most reads find nothing new: no transaction, no write.
    if (Object.keys(sessionChanges(checkout, session)).length === 0) return checkout;
    const updated = await retryOnTransientDbError(() =>
      this.dataSource.transaction((manager) => this.applyWith(manager, checkout.id, session)),
    );
    if (isPaid(session)) await this.expireOthers(updated);
    return updated;
  }

  /** The database part of apply(), inside the caller's transaction; no Stripe call. */
  async applyWith(
    manager: EntityManager,
    checkoutId: string,
    session: CheckoutSession,
  ): Promise<Checkout> {
    const checkouts = manager.getRepository(Checkout);
    const checkout = await checkouts.findOneByOrFail({ id: checkoutId });
    const changes = sessionChanges(checkout, session);
    if (Object.keys(changes).length === 0) return checkout;
    if (changes.paymentStatus && PAID_STATUSES.has(changes.paymentStatus)) {
      changes.refundRequired = !(await this.markPayablePaid(manager, checkout));
    }
    Object.assign(checkout, changes, { updatedAt: new Date() });
    await checkouts.update({ id: checkout.id }, { ...changes, updatedAt: checkout.updatedAt });
    return checkout;
  }

  /** False when another checkout had already paid the payable: this payment is a duplicate. */
  private async markPayablePaid(manager: EntityManager, checkout: Checkout): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(Payable)
      .set({ paidAt: new Date(), paidCheckoutId: checkout.id, updatedAt: new Date() })
      .where('id = :id AND paid_at IS NULL', { id: checkout.payableId })
      .execute();
    if (result.affected) return true;
    const payable = await manager
      .getRepository(Payable)
      .findOneByOrFail({ id: checkout.payableId });
    if (payable.paidCheckoutId === checkout.id) return true;
    this.logger.error(
      `Duplicate payment: checkout ${checkout.id} (session ${checkout.stripeSessionId}) was paid after ` +
        `checkout ${payable.paidCheckoutId} already paid payable ${checkout.payableId}; flagged for refund`,
    );
    return false;
  }

  /** A paid payable keeps no open session, so the customer cannot pay twice. */
  async expireOthers(paid: Checkout): Promise<void> {
    const others = await this.dataSource.getRepository(Checkout).find({
      where: {
        payableId: paid.payableId,
        state: 'open',
        id: Not(paid.id),
        stripeSessionId: Not(IsNull()),
      },
    });
    for (const other of others) {
      const session = await this.stripe.expireSession(
        other.stripeAccountId,
        other.stripeSessionId as string,
      );
      if (isPaid(session)) {
        await this.apply(other, session);
      } else {
        await this.dataSource
          .getRepository(Checkout)
          .update(
            { id: other.id, state: 'open' },
            { state: 'expired', paymentStatus: session.payment_status, updatedAt: new Date() },
          );
      }
    }
  }
}

/** What the session would change in the row; a paid checkout's state and payment stay as they are. */
function sessionChanges(checkout: Checkout, session: CheckoutSession): Partial<Checkout> {
  const wanted: Partial<Checkout> = {
    stripeSessionId: checkout.stripeSessionId ?? session.id,
    customerId: stringId(session.customer) ?? checkout.customerId,
    customerEmail: session.customer_details?.email ?? checkout.customerEmail,
    paymentIntentId: stringId(session.payment_intent) ?? checkout.paymentIntentId,
  };
  const wasPaid = checkout.paymentStatus !== null && PAID_STATUSES.has(checkout.paymentStatus);
  if (!wasPaid) {
    wanted.paymentStatus = session.payment_status;
    wanted.state = nextState(checkout, session);
  }
  return Object.fromEntries(
    Object.entries(wanted).filter(([key, value]) => checkout[key as keyof Checkout] !== value),
  );
}

export function isPaid(session: CheckoutSession): boolean {
  return session.status === 'complete' && PAID_STATUSES.has(session.payment_status);
}

function nextState(checkout: Checkout, session: CheckoutSession): Checkout['state'] {
  if (checkout.state === 'complete' && session.status !== 'complete') return checkout.state;
  if (session.status === 'complete') return 'complete';
  if (session.status === 'expired') return 'expired';
  return checkout.state === 'creating' ? 'open' : checkout.state;
}

function stringId(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === 'string' ? value : value.id;
}
