import type { Checkout } from '../entities/index.js';
import type { CheckoutSession } from '../stripe/stripe.gateway.js';
import type { StripeCheckoutQueryResponse } from './dto/stripe-checkout-query-response.dto.js';

/**
 * The response from our row, with what only Stripe holds (secrets) taken from the live session.
 * The URL and the client secret are given only while the session is open: nothing else can be paid.
 */
export function toQueryResponse(
  checkout: Checkout,
  session?: CheckoutSession,
): StripeCheckoutQueryResponse {
  const status = session?.status ?? (checkout.state === 'creating' ? null : checkout.state);
  const open = status === 'open';
  return {
    SessionId: checkout.stripeSessionId,
    Url: open && checkout.uiMode === 'hosted' ? (session?.url ?? checkout.url) : null,
    Status: status,
    ClientSecret: open && checkout.uiMode === 'embedded' ? (session?.client_secret ?? null) : null,
    CustomerId: checkout.customerId,
    // Stripe creates the PaymentIntent when the customer confirms; its secret stays with Stripe.js.
    PaymentIntentClientSecret: null,
    PaymentIntentId: checkout.paymentIntentId,
    StripeAccount: checkout.stripeAccountId,
  };
}
