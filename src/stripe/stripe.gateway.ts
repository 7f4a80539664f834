import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { PaymentsException } from '../errors/payments.exception.js';
import { PAYMENTS_OPTIONS } from '../payments.module-definition.js';
import type { PaymentsModuleOptions } from '../payments.options.js';
import { createStripeClient } from './stripe.client.js';

export type CheckoutSession = Stripe.Checkout.Session;
export type StripeWebhookEvent = Stripe.Event;
export type CheckoutSessionCreateParams = Stripe.Checkout.SessionCreateParams;

/** The only door to Stripe: every call names the connected account; every write has our key. */
@Injectable()
export class StripeGateway {
  private readonly logger = new Logger('StripeGateway');
  private readonly stripe: Stripe;
  private readonly webhookSecrets: string[];

  constructor(@Inject(PAYMENTS_OPTIONS) options: PaymentsModuleOptions) {
    this.stripe = createStripeClient(options.stripe);
    this.webhookSecrets = [
      options.stripe.webhookSecret,
      options.stripe.connectWebhookSecret,
    ].filter((secret): secret is string => Boolean(secret));
  }

  /** Verifies the signature over the raw bytes with each configured endpoint secret. */
  verifyWebhook(rawBody: Buffer, signature: string | undefined): StripeWebhookEvent {
    if (!signature)
      throw new PaymentsException('InvalidSignature', 'The Stripe-Signature header is missing');
    if (this.webhookSecrets.length === 0) {
      throw new PaymentsException('InvalidSignature', 'No webhook secret is configured');
    }
    for (const secret of this.webhookSecrets) {
      try {
        return this.stripe.webhooks.constructEvent(rawBody, signature, secret);
      } catch {
        // try the next endpoint secret
      }
    }
    throw new PaymentsException('InvalidSignature', 'The Stripe signature is not valid or too old');
  }

  createSession(
    account: string,
    params: CheckoutSessionCreateParams,
    idempotencyKey: string,
  ): Promise<CheckoutSession> {
    return this.call('create', () =>
      this.stripe.checkout.sessions.create(params, { stripeAccount: account, idempotencyKey }),
    );
  }

  retrieveSession(account: string, sessionId: string): Promise<CheckoutSession> {
    return this.call('retrieve', () =>
      this.stripe.checkout.sessions.retrieve(sessionId, {}, { stripeAccount: account }),
    );
  }

  /** The session with its PaymentIntent expanded: how a delayed payment method is doing. */
  retrieveSessionWithPayment(account: string, sessionId: string): Promise<CheckoutSession> {
    return this.call('retrieve', () =>
      this.stripe.checkout.sessions.retrieve(
        sessionId,
        { expand: ['payment_intent'] },
        { stripeAccount: account },
      ),
    );
  }

  /** A cheap read for health checks: one attempt, bounded by `timeoutMs`; false when unreachable. */
  async isReachable(timeoutMs: number): Promise<boolean> {
    try {
      await this.stripe.checkout.sessions.list(
        { limit: 1 },
        { timeout: timeoutMs, maxNetworkRetries: 0 },
      );
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Expires an open session and returns it as Stripe now has it. Expiring a session that is no
   * longer open is a 400 without a stable code, so the session's own status decides instead.
   */
  async expireSession(account: string, sessionId: string): Promise<CheckoutSession> {
    try {
      return await this.stripe.checkout.sessions.expire(
        sessionId,
        {},
        // A key of this call only: two expires of one session at once (a create and a payment's
        // clean-up) must not collide on a shared key; the second simply finds it expired.
        { stripeAccount: account, idempotencyKey: `expire-${sessionId}-${randomUUID()}` },
      );
    } catch (error) {
      if (!(error instanceof Stripe.errors.StripeInvalidRequestError))
        throw this.translate('expire', error);
      const session = await this.retrieveSession(account, sessionId);
      if (session.status === 'open') throw this.translate('expire', error);
      return session;
    }
  }

  private async call<T>(operation: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw this.translate(operation, error);
    }
  }

  private translate(operation: string, error: unknown): PaymentsException {
    const stripeError = error instanceof Stripe.errors.StripeError ? error : undefined;
    this.logger.warn(
      `Stripe ${operation} failed: ${stripeError ? `${stripeError.type} ${stripeError.statusCode ?? ''} ${stripeError.code ?? ''}` : String(error)}`,
    );
    if (
      error instanceof Stripe.errors.StripeConnectionError ||
      error instanceof Stripe.errors.StripeRateLimitError ||
      // The same create is still running elsewhere (a replay beside the original): try again.
      (error instanceof Stripe.errors.StripeIdempotencyError &&
        error.code === 'idempotency_key_in_use')
    ) {
      return new PaymentsException(
        'StripeUnavailable',
        'Stripe is not reachable right now; try again shortly',
        [],
        5,
      );
    }
    if (stripeError && (stripeError.statusCode ?? 500) >= 500) {
      return new PaymentsException(
        'StripeUnavailable',
        'Stripe failed to answer; try again shortly',
        [],
        5,
      );
    }
    return new PaymentsException('StripeError', 'Stripe refused the request');
  }
}
