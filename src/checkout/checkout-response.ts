import type { Checkout } from '../entities/index.js';
import type { CheckoutSession } from '../stripe/stripe.gateway.js';
import type { StripeCheckoutQueryResponse } from './dto/stripe-checkout-query-response.dto.js';

/** The response from our row, with what only Stripe holds (secrets) taken from the live session. */
export function toQueryResponse(
  checkout: Checkout,
  session?: CheckoutSession,
  paymentIntentClientSecret: string | null = null,
): StripeCheckoutQueryResponse {
  return {
    SessionId: checkout.stripeSessionId,
    Url: checkout.uiMode === 'hosted' ? (session?.url ?? checkout.url) : null,
    Status: session?.status ?? (checkout.state === 'creating' ? null : checkout.state),
    ClientSecret: checkout.uiMode === 'embedded' ? (session?.client_secret ?? null) : null,
    CustomerId: checkout.customerId,
    PaymentIntentClientSecret: paymentIntentClientSecret,
    PaymentIntentId: checkout.paymentIntentId,
    StripeAccount: checkout.stripeAccountId,
  };
}
