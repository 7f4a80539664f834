import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, type Repository } from 'typeorm';
import { CheckoutSyncService } from '../checkout/checkout-sync.service.js';
import { Checkout } from '../entities/index.js';
import { PaymentsException } from '../errors/payments.exception.js';
import { PAYMENTS_OPTIONS } from '../payments.module-definition.js';
import type { PaymentsModuleOptions } from '../payments.options.js';
import { StripeGateway, type CheckoutSession } from '../stripe/stripe.gateway.js';

export interface ReconciliationReport {
  creating: number;
  open: number;
  failed: number;
}

/**
 * Settles what a crash or a lost webhook left behind. Safe on several instances at once: each row
 * is claimed with a compare-and-set on updated_at before anything is done with it.
 */
@Injectable()
export class ReconciliationService {
  private readonly logger = new Logger('Reconciliation');
  private readonly creatingGraceMs: number;

  constructor(
    @Inject(PAYMENTS_OPTIONS) options: PaymentsModuleOptions,
    @InjectRepository(Checkout) private readonly checkouts: Repository<Checkout>,
    private readonly stripe: StripeGateway,
    private readonly sync: CheckoutSyncService,
  ) {
    this.creatingGraceMs = options.creatingGraceMs ?? 120_000;
  }

  async reconcile(now = new Date()): Promise<ReconciliationReport> {
    const report: ReconciliationReport = { creating: 0, open: 0, failed: 0 };
    const cutoff = new Date(now.getTime() - this.creatingGraceMs);
    for (const checkout of await this.checkouts.find({
      where: { state: 'creating', updatedAt: LessThan(cutoff) },
      take: 100,
    })) {
      if (!(await this.claim(checkout, now))) continue;
      try {
        await this.settleCreating(checkout);
        report.creating++;
      } catch (error) {
        report.failed++;
        this.logger.warn(`Checkout ${checkout.id} stays creating: ${describe(error)}`);
      }
    }
    // Open past their expiry, or quiet for the grace period: the webhook may never have come.
    for (const checkout of await this.checkouts.find({
      where: { state: 'open', updatedAt: LessThan(cutoff) },
      take: 100,
    })) {
      if (!(await this.claim(checkout, now))) continue;
      try {
        const session = await this.stripe.retrieveSession(
          checkout.stripeAccountId,
          checkout.stripeSessionId as string,
        );
        await this.sync.apply(checkout, session);
        report.open++;
      } catch (error) {
        report.failed++;
        this.logger.warn(`Open checkout ${checkout.id} not refreshed: ${describe(error)}`);
      }
    }
    return report;
  }

  /**
   * Replays the create under the stored key and parameters: Stripe answers with the session it
   * created before the crash (or creates it now). Its URL never reached a caller, so it is expired.
   */
  private async settleCreating(checkout: Checkout): Promise<void> {
    let session: CheckoutSession;
    try {
      session = await this.sync.createFromWriteAhead(checkout);
    } catch (error) {
      if (error instanceof PaymentsException && error.code === 'StripeError') return;
      throw error;
    }
    // updated_at keeps the claim's time: the row stays this run's until it is settled.
    await this.checkouts.update({ id: checkout.id }, { stripeSessionId: session.id });
    checkout.stripeSessionId = session.id;
    const settled =
      session.status === 'open'
        ? await this.stripe.expireSession(checkout.stripeAccountId, session.id)
        : session;
    await this.sync.apply(checkout, settled);
    this.logger.log(
      `Checkout ${checkout.id} was left creating; linked to ${session.id} and settled as ${settled.status}`,
    );
  }

  /**
   * Takes the row for this run: its updated_at becomes `now`, so no other run (on this or another
   * instance) sees it as stale until the grace period has passed again.
   */
  private async claim(checkout: Checkout, claimedAt: Date): Promise<boolean> {
    const result = await this.checkouts.update(
      { id: checkout.id, state: checkout.state, updatedAt: checkout.updatedAt },
      { updatedAt: claimedAt },
    );
    checkout.updatedAt = claimedAt;
    return Boolean(result.affected);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
