import type { LineItemSnapshot } from '../entities/index.js';
import type { CheckoutSessionCreateParams } from '../stripe/stripe.gateway.js';
import type { UiModeValue } from './dto/stripe-v1-create-checkout.dto.js';

export interface SessionParamsInput {
  checkoutId: string;
  companyId: string;
  internalReferenceId: string;
  uiMode: UiModeValue;
  currency: string;
  lineItems: LineItemSnapshot[];
  confirmationUrl?: string;
  cancelUrl?: string;
  expiresAt: Date;
}

/** Our hosted/embedded are Stripe's hosted_page/embedded_page since API 2026-03-25. */
const STRIPE_UI_MODE = { hosted: 'hosted_page', embedded: 'embedded_page' } as const;

export function buildSessionParams(input: SessionParamsInput): CheckoutSessionCreateParams {
  const metadata = {
    CompanyId: input.companyId,
    InternalReferenceId: input.internalReferenceId,
    CheckoutId: input.checkoutId,
  };
  const params: CheckoutSessionCreateParams = {
    mode: 'payment',
    ui_mode: STRIPE_UI_MODE[input.uiMode],
    client_reference_id: input.internalReferenceId,
    expires_at: Math.floor(input.expiresAt.getTime() / 1000),
    metadata,
    payment_intent_data: { metadata },
    line_items: input.lineItems.map((item) => ({
      quantity: item.quantity,
      price_data: {
        currency: input.currency,
        unit_amount: item.unitAmount,
        product_data: { name: item.name },
      },
    })),
  };
  if (input.uiMode === 'hosted') {
    if (input.confirmationUrl) params.success_url = input.confirmationUrl;
    if (input.cancelUrl) params.cancel_url = input.cancelUrl;
  } else if (input.confirmationUrl) {
    params.return_url = input.confirmationUrl;
  } else {
    params.redirect_on_completion = 'never';
  }
  return params;
}
