import { Injectable } from '@nestjs/common';
import { PaymentsDb } from '../database/payments-db.js';
import type { Checkout } from '../entities/index.js';
import { PaymentsException } from '../errors/payments.exception.js';
import { StripeGateway, type CheckoutSession } from '../stripe/stripe.gateway.js';
import { isPaid, isPaidStatus } from './checkout-states.js';
import { CheckoutStore } from './checkout-store.js';
import { CheckoutSyncService } from './checkout-sync.service.js';
import { PayableLeaseService, type PayableLease } from './payable-lease.service.js';

/**
 * How an earlier checkout ended: its session can no longer be paid (`ended`), or the customer got
 * there first — `paid`, or `pending` for a delayed payment method that has not settled yet.
 */
export type RetireOutcome = 'ended' | 'paid' | 'pending';

/**
 * A write-ahead row whose session cannot exist at Stripe any more: its expires_at has passed.
 * The margin covers clocks that disagree a little.
 */
const EXPIRY_MARGIN_MS = 5 * 60_000;

/**
 * Ends the sessions of a payable's earlier checkouts at Stripe, under the payable's lease, before
 * a newer one may be created or kept: so at every instant at most one session of a payable can be
 * paid. Used by the create (earlier checkouts) and by reconciliation (extras left by a crash).
 */
@Injectable()
export class CheckoutRetirementService {
  constructor(
    private readonly db: PaymentsDb,
    private readonly store: CheckoutStore,
    private readonly sync: CheckoutSyncService,
    private readonly stripe: StripeGateway,
    private readonly leases: PayableLeaseService,
  ) {}

  /**
   * Ends `checkout`'s session: `invalidated` by `replacedBy`, the checkout that replaces it, or
   * `withdrawn` (reconciliation restoring one open session, a paid payable's clean-up).
   */
  async retire(
    checkout: Checkout,
    lease: PayableLease,
    replacedBy: string | null,
  ): Promise<RetireOutcome> {
    if (checkout.state === 'complete') {
      return isPaidStatus(checkout.paymentStatus) ? 'paid' : 'pending';
    }
    if (checkout.state !== 'open' && checkout.state !== 'creating') return 'ended';
    const reason = replacedBy ? 'invalidated' : 'withdrawn';
    const sessionId = checkout.stripeSessionId ?? (await this.findSession(checkout, lease));
    if (!sessionId) {
      await this.db.transaction((m) =>
        this.store.markExpired(m, checkout, null, reason, replacedBy),
      );
      return 'ended';
    }
    await this.store.intendExpiry(checkout, reason, replacedBy);
    await this.leases.renew(lease);
    const session = await this.stripe.expireSession(checkout.stripeAccountId, sessionId);
    return this.settle(checkout, session);
  }

  /**
   * The session of a row left `creating` (its creator crashed or lost the answer): the create is
   * replayed under the same key, which answers the session Stripe created — or creates it now, to
   * be expired at once. Undefined when no session can exist.
   */
  private async findSession(checkout: Checkout, lease: PayableLease): Promise<string | undefined> {
    if (checkout.expiresAt.getTime() < Date.now() - EXPIRY_MARGIN_MS) return undefined;
    await this.leases.renew(lease);
    try {
      const session = await this.sync.createFromWriteAhead(checkout);
      await this.store.linkSession(checkout.id, session.id);
      checkout.stripeSessionId = session.id;
      return session.id;
    } catch (error) {
      if (error instanceof PaymentsException && error.code === 'StripeError') return undefined;
      throw error;
    }
  }

  private async settle(checkout: Checkout, session: CheckoutSession): Promise<RetireOutcome> {
    if (session.status === 'complete') {
      await this.sync.apply(checkout, session);
      return isPaid(session) ? 'paid' : 'pending';
    }
    const reason = checkout.expireReason ?? 'withdrawn';
    await this.db.transaction((m) =>
      this.store.markExpired(m, checkout, session.payment_status, reason, checkout.invalidatedBy),
    );
    return 'ended';
  }
}
