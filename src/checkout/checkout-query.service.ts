import { Injectable } from '@nestjs/common';
import type { Checkout } from '../entities/index.js';
import { PaymentsException } from '../errors/payments.exception.js';
import { StripeGateway, type CheckoutSession } from '../stripe/stripe.gateway.js';
import { toQueryResponse } from './checkout-response.js';
import { CheckoutStore } from './checkout-store.js';
import { CheckoutSyncService } from './checkout-sync.service.js';
import type { StripeCheckoutStatusQueryResponse } from './dto/get-stripe-checkout-v1-checkout-status.dto.js';
import type { StripeCheckoutQueryResponse } from './dto/stripe-checkout-query-response.dto.js';

/** Reads a checkout and refreshes it from Stripe on the way, so what we answer is current. */
@Injectable()
export class CheckoutQueryService {
  constructor(
    private readonly store: CheckoutStore,
    private readonly stripe: StripeGateway,
    private readonly sync: CheckoutSyncService,
  ) {}

  /**
   * DESIGN §2: the paying checkout once the payable is paid, else its open session, else the
   * newest. A URL or client secret is handed out only for a session Stripe reports open that is
   * the payable's newest: a create always ends the earlier sessions before it makes a new one.
   */
  async current(
    companyId: string,
    internalReferenceId: string,
  ): Promise<StripeCheckoutQueryResponse> {
    const payable = await this.store.findPayable(companyId, internalReferenceId);
    if (payable?.paidCheckoutId) return this.paidCheckout(payable.paidCheckoutId);
    const checkout = payable && (await this.store.current(payable.id));
    if (!checkout) {
      throw notFound('No checkout exists for this InternalReferenceId', 'InternalReferenceId');
    }
    if (checkout.state === 'expired' || checkout.state === 'failed') {
      return toQueryResponse(checkout);
    }
    const session = await this.refresh(checkout);
    if (checkout.refundRequired) {
      // A second payment: the answer is the payment that counts.
      const paid = await this.store.findPayable(companyId, internalReferenceId);
      if (paid?.paidCheckoutId) return this.paidCheckout(paid.paidCheckoutId);
    }
    return toQueryResponse(checkout, session);
  }

  async status(companyId: string, sessionId: string): Promise<StripeCheckoutStatusQueryResponse> {
    const checkout = await this.store.findBySession(companyId, sessionId);
    if (!checkout) throw notFound('No checkout of this company has that SessionId', 'SessionId');
    const session = await this.refresh(checkout);
    return { CustomerEmail: checkout.customerEmail, Status: session.status };
  }

  private async paidCheckout(checkoutId: string): Promise<StripeCheckoutQueryResponse> {
    const checkout = await this.store.findById(checkoutId);
    if (!checkout) throw notFound('The paying checkout is missing', 'InternalReferenceId');
    return toQueryResponse(checkout);
  }

  private async refresh(checkout: Checkout): Promise<CheckoutSession> {
    const session = await this.stripe.retrieveSession(
      checkout.stripeAccountId,
      checkout.stripeSessionId as string,
    );
    await this.sync.apply(checkout, session);
    return session;
  }
}

function notFound(message: string, field: string): PaymentsException {
  return PaymentsException.field('CheckoutNotFound', field, message);
}
