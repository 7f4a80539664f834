import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { isUniqueViolation } from '../checkout/payable-lock.service.js';
import { retryOnTransientDbError } from '../common/transient-db-error.js';
import { CheckoutSyncService, isPaid } from '../checkout/checkout-sync.service.js';
import { Checkout, StripeEvent } from '../entities/index.js';
import { StripeGateway, type StripeWebhookEvent } from '../stripe/stripe.gateway.js';

const HANDLED = new Set([
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'checkout.session.expired',
]);

export type WebhookOutcome = 'processed' | 'duplicate' | 'ignored' | 'unknown-session';

@Injectable()
export class StripeWebhookService {
  private readonly logger = new Logger('StripeWebhook');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly stripe: StripeGateway,
    private readonly sync: CheckoutSyncService,
  ) {}

  async handle(rawBody: Buffer, signature: string | undefined): Promise<WebhookOutcome> {
    const event = this.stripe.verifyWebhook(rawBody, signature);
    if (!HANDLED.has(event.type)) return 'ignored';
    const sessionId = (event.data.object as { id?: string }).id;
    const checkout = sessionId
      ? await this.dataSource.getRepository(Checkout).findOneBy({ stripeSessionId: sessionId })
      : null;
    if (!checkout) {
      this.logger.warn(
        `Event ${event.id} (${event.type}) is for session ${sessionId}, which we do not know`,
      );
      return (await this.record(event, () => Promise.resolve())) ? 'unknown-session' : 'duplicate';
    }
    if ((event.account ?? null) !== checkout.stripeAccountId) {
      this.logger.warn(
        `Event ${event.id} comes from account ${event.account ?? 'platform'}, not the checkout's ${checkout.stripeAccountId}: ignored`,
      );
      return 'ignored';
    }
    // The payload is only a hint: the session is read back from Stripe before anything changes.
    const session = await this.stripe.retrieveSession(
      checkout.stripeAccountId,
      checkout.stripeSessionId as string,
    );
    const processed = await this.record(event, async (manager) => {
      await this.sync.applyWith(manager, checkout.id, session);
      if (
        event.type === 'checkout.session.async_payment_failed' &&
        session.payment_status === 'unpaid'
      ) {
        await manager
          .getRepository(Checkout)
          .update({ id: checkout.id, state: 'complete' }, { state: 'failed' });
      }
    });
    if (processed && isPaid(session)) await this.sync.expireOthers(checkout);
    return processed ? 'processed' : 'duplicate';
  }

  /**
   * Stores the event id and its effects in one transaction: a concurrent duplicate waits on the
   * unique key and then finds the event done; a failed attempt leaves nothing, so Stripe's retry works.
   */
  private async record(
    event: StripeWebhookEvent,
    effects: (manager: EntityManager) => Promise<void>,
  ): Promise<boolean> {
    try {
      await retryOnTransientDbError(() =>
        this.dataSource.transaction(async (manager) => {
          const now = new Date();
          await manager.getRepository(StripeEvent).insert({
            eventId: event.id,
            type: event.type,
            account: event.account ?? null,
            receivedAt: now,
            processedAt: now,
          });
          await effects(manager);
        }),
      );
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }
}
