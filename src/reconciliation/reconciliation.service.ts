import { Inject, Injectable, Logger } from '@nestjs/common';
import { CheckoutRetirementService } from '../checkout/checkout-retirement.service.js';
import { CheckoutStore } from '../checkout/checkout-store.js';
import { CheckoutSyncService } from '../checkout/checkout-sync.service.js';
import { PayableLeaseService, type PayableLease } from '../checkout/payable-lease.service.js';
import { PaymentsDb } from '../database/payments-db.js';
import { Checkout } from '../entities/index.js';
import { PaymentsException } from '../errors/payments.exception.js';
import { PAYMENTS_OPTIONS } from '../payments.module-definition.js';
import type { PaymentsModuleOptions } from '../payments.options.js';
import { StripeGateway, type CheckoutSession } from '../stripe/stripe.gateway.js';
import { isPaid, isPaidStatus } from '../checkout/checkout-states.js';

export interface ReconciliationReport {
  /** Payables whose checkouts were brought in line with Stripe. */
  settled: number;
  /** Payables another instance or a create held the lease of: settled on a later run. */
  busy: number;
  failed: number;
}

const BATCH_SIZE = 100;

/**
 * Settles what a crash or a lost webhook left behind, one payable at a time under its lease (so
 * it never races a create, and two instances never settle one payable at once). For each payable
 * it restores the invariant — at most one open session, none once paid — links sessions whose
 * answer was lost, and brings every row in line with Stripe.
 */
@Injectable()
export class ReconciliationService {
  private readonly logger = new Logger('Reconciliation');
  private readonly creatingGraceMs: number;

  constructor(
    @Inject(PAYMENTS_OPTIONS) options: PaymentsModuleOptions,
    private readonly db: PaymentsDb,
    private readonly store: CheckoutStore,
    private readonly leases: PayableLeaseService,
    private readonly retirement: CheckoutRetirementService,
    private readonly sync: CheckoutSyncService,
    private readonly stripe: StripeGateway,
  ) {
    this.creatingGraceMs = options.creatingGraceMs ?? 120_000;
  }

  async reconcile(now = new Date()): Promise<ReconciliationReport> {
    const report: ReconciliationReport = { settled: 0, busy: 0, failed: 0 };
    for (const payableId of await this.payablesToSettle(now)) {
      const lease = await this.leases.tryAcquire(payableId);
      if (!lease) {
        report.busy++;
        continue;
      }
      try {
        await this.settle(lease);
        // Confirmed against Stripe as of this run: not looked at again for a grace period.
        await this.store.markChecked(payableId, now);
        report.settled++;
      } catch (error) {
        report.failed++;
        this.logger.warn(`Payable ${payableId} not settled: ${describe(error)}`);
      } finally {
        await this.leases.release(lease).catch(() => undefined);
      }
    }
    return report;
  }

  /**
   * Payables with a checkout left `creating` past the grace period (a crashed create), open and
   * quiet for the grace period or past its expiry (a lost webhook), or complete and still unpaid
   * (a delayed payment whose outcome we have not heard).
   */
  private async payablesToSettle(now: Date): Promise<string[]> {
    const cutoff = new Date(now.getTime() - this.creatingGraceMs);
    const rows = await this.db.run((m) =>
      m
        .getRepository(Checkout)
        .createQueryBuilder('c')
        .select('DISTINCT c.payable_id', 'payableId')
        .where("c.state IN ('creating', 'open', 'complete') AND c.updated_at < :cutoff", { cutoff })
        .andWhere("(c.state <> 'complete' OR c.payment_status = 'unpaid')")
        .limit(BATCH_SIZE)
        .getRawMany<{ payableId: string }>(),
    );
    return rows.map((row) => row.payableId);
  }

  /**
   * Under the lease: every unsettled checkout but the newest is ended at Stripe (oldest first, so no
   * two are open at once); the newest is kept — linked to its session when its answer was lost —
   * unless a payment exists or is in progress, in which case it is ended too.
   */
  private async settle(lease: PayableLease): Promise<void> {
    const rows = await this.store.unsettledOf(lease.payableId);
    const keep = rows.filter((row) => row.state === 'creating' || row.state === 'open').at(-1);
    let paying = lease.paid;
    for (const row of rows) {
      if (row === keep) continue;
      if (row.state === 'complete') {
        // Paid, or a delayed payment still pending (unless it turned out failed).
        if ((await this.refresh(row)).state === 'complete') paying = true;
      } else if ((await this.retirement.retire(row, lease, null)) !== 'ended') {
        paying = true;
      }
    }
    if (!keep) return;
    if (paying || (keep.state === 'creating' && isPastExpiry(keep))) {
      await this.retirement.retire(keep, lease, null);
    } else {
      await this.keepNewest(keep, lease);
    }
  }

  private async keepNewest(checkout: Checkout, lease: PayableLease): Promise<void> {
    await this.leases.renew(lease);
    if (checkout.stripeSessionId) {
      await this.refresh(checkout);
      return;
    }
    const session = await this.createdSession(checkout);
    if (!session) return;
    if (await this.leases.fenced(lease, (m) => this.store.markOpen(m, checkout, session))) {
      this.logger.log(`Checkout ${checkout.id} was left creating; linked to session ${session.id}`);
    }
    await this.sync.apply(checkout, session);
  }

  /** The session a lost create made, replayed under its key; undefined when Stripe refuses it. */
  private async createdSession(checkout: Checkout) {
    try {
      return await this.sync.createFromWriteAhead(checkout);
    } catch (error) {
      if (error instanceof PaymentsException && error.code === 'StripeError') return undefined;
      throw error;
    }
  }

  /**
   * Brings the row in line with Stripe. A delayed payment whose failure event was lost is read
   * from its PaymentIntent: back to requiring a payment method means it failed.
   */
  private async refresh(checkout: Checkout): Promise<Checkout> {
    const pending = checkout.state === 'complete' && !isPaidStatus(checkout.paymentStatus);
    const account = checkout.stripeAccountId;
    const sessionId = checkout.stripeSessionId as string;
    const session = pending
      ? await this.stripe.retrieveSessionWithPayment(account, sessionId)
      : await this.stripe.retrieveSession(account, sessionId);
    await this.sync.apply(checkout, session);
    if (pending && !isPaid(session) && paymentFailed(session)) {
      await this.db.transaction((m) => this.store.markPaymentFailed(m, checkout));
      checkout.state = 'failed';
    }
    return checkout;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function paymentFailed(session: CheckoutSession): boolean {
  const intent = session.payment_intent;
  return (
    typeof intent === 'object' &&
    intent !== null &&
    (intent.status === 'requires_payment_method' || intent.status === 'canceled')
  );
}

function isPastExpiry(checkout: Checkout): boolean {
  return checkout.expiresAt.getTime() <= Date.now();
}
