import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { isPaid } from '../checkout/checkout-states.js';
import { CheckoutStore } from '../checkout/checkout-store.js';
import { CheckoutSyncService } from '../checkout/checkout-sync.service.js';
import { isUniqueViolation } from '../database/unique-violation.js';
import { PaymentsDb } from '../database/payments-db.js';
import { StripeEvent } from '../entities/index.js';
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
    private readonly db: PaymentsDb,
    private readonly store: CheckoutStore,
    private readonly stripe: StripeGateway,
    private readonly sync: CheckoutSyncService,
  ) {}

  async handle(rawBody: Buffer, signature: string | undefined): Promise<WebhookOutcome> {
    const event = this.stripe.verifyWebhook(rawBody, signature);
    if (!HANDLED.has(event.type)) return 'ignored';
    const sessionId = (event.data.object as { id?: string }).id;
    const checkout = sessionId ? await this.store.findAnyBySession(sessionId) : null;
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
      const updated = await this.sync.applyWith(manager, checkout.id, session);
      if (event.type === 'checkout.session.async_payment_failed') {
        await this.store.markPaymentFailed(manager, updated);
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
      await this.db.transaction(async (manager) => {
        const now = new Date();
        await manager.getRepository(StripeEvent).insert({
          eventId: event.id,
          type: event.type,
          account: event.account ?? null,
          receivedAt: now,
          processedAt: now,
        });
        await effects(manager);
      });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }
}
