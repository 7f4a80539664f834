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
/** Payables settled at once: each makes its Stripe calls one after the other. */
export const RECONCILE_STRIPE_CONCURRENCY = 8;

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
  private readonly budgetMs: number;

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
    this.budgetMs = options.reconcileIntervalMs || 60_000;
  }

  /**
   * Settles every stale payable, batch after batch, a few at a time toward Stripe, until none is
   * left or the time budget (by default one reconciliation interval) is spent.
   */
  async reconcile(now = new Date()): Promise<ReconciliationReport> {
    const report: ReconciliationReport = { settled: 0, busy: 0, failed: 0 };
    const deadline = performance.now() + this.budgetMs;
    for (;;) {
      const batch = await this.payablesToSettle(now);
      if (batch.length === 0) break;
      await inParallel(batch, RECONCILE_STRIPE_CONCURRENCY, (payableId) =>
        this.settleOne(payableId, now, report),
      );
      if (performance.now() > deadline) break;
    }
    return report;
  }

  private async settleOne(payableId: string, now: Date, report: ReconciliationReport) {
    const lease = await this.leases.tryAcquire(payableId);
    if (!lease) report.busy++;
    else {
      try {
        await this.settle(lease);
        report.settled++;
      } catch (error) {
        report.failed++;
        this.logger.warn(`Payable ${payableId} not settled: ${describe(error)}`);
      } finally {
        await this.leases.release(lease).catch(() => undefined);
      }
    }
    // Looked at as of this run, settled or not: not picked again for a grace period, so every
    // batch makes progress (a busy payable's create settles it itself).
    await this.store.markChecked(payableId, now);
  }

  /**
   * Payables with a checkout left `creating` past the grace period (a crashed create), open and
   * quiet for the grace period (a lost webhook), or complete and still unpaid (a delayed payment
   * whose outcome we have not heard). Each an index range, unsorted: any stale rows will do.
   */
  private async payablesToSettle(now: Date): Promise<string[]> {
    const cutoff = new Date(now.getTime() - this.creatingGraceMs);
    const stale = (where: string) =>
      this.db.run((m) =>
        m
          .getRepository(Checkout)
          .createQueryBuilder('c')
          .select('c.payable_id', 'payableId')
          .where(`${where} AND c.updated_at < :cutoff`, { cutoff })
          .limit(BATCH_SIZE)
          .getRawMany<{ payableId: string }>(),
      );
    const rows = [
      ...(await stale("c.state = 'creating' AND c.payment_status IS NULL")),
      ...(await stale("c.state = 'open'")),
      ...(await stale("c.state = 'complete' AND c.payment_status = 'unpaid'")),
    ];
    return [...new Set(rows.map((row) => row.payableId))];
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
    // The replay answers the session as it was when created: it may have been paid or expired
    // since, so it is read again (the row is settled in this pass, not the next).
    if (checkout.stripeSessionId) await this.refresh(checkout);
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

/** Runs `work` over `items`, at most `limit` at a time. */
async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
