import type Stripe from 'stripe';
import type { CreateSessionParams, PricedItem } from './create-params.js';
import { randomId } from './ids.js';

/** Price as it travels on the wire (the SDK turns decimal strings into Decimal objects later). */
export type WirePrice = Omit<Stripe.Price, 'unit_amount_decimal'> & {
  unit_amount_decimal: string | null;
};
export type WireLineItem = Omit<Stripe.LineItem, 'price'> & { price: WirePrice };

const DEFAULT_LIFETIME_S = 24 * 60 * 60;

export interface NewSession {
  session: Stripe.Checkout.Session;
  lineItems: WireLineItem[];
}

export function buildSession(
  p: CreateSessionParams,
  items: PricedItem[],
  nowS: number,
  publicUrl: string,
): NewSession {
  const id = randomId('cs_test_a1', 56);
  const uiMode = p.ui_mode ?? 'hosted_page';
  const embedded = uiMode !== 'hosted_page';
  const amount = items.reduce((sum, item) => sum + item.unitAmount * item.quantity, 0);
  const payable = p.mode !== 'setup';
  const session: Stripe.Checkout.Session = {
    id,
    object: 'checkout.session',
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: p.allow_promotion_codes ?? null,
    allowed_payment_method_types: null,
    amount_subtotal: payable ? amount : null,
    amount_total: payable ? amount : null,
    automatic_tax: {
      enabled: p.automatic_tax?.enabled ?? false,
      liability: null,
      provider: null,
      status: null,
    },
    billing_address_collection: (p.billing_address_collection ??
      null) as Stripe.Checkout.Session['billing_address_collection'],
    cancel_url: p.cancel_url ?? null,
    client_reference_id: p.client_reference_id ?? null,
    client_secret: embedded ? `${id}_secret_${randomId('', 24)}` : null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: nowS,
    currency: items[0]?.currency ?? p.currency?.toLowerCase() ?? null,
    currency_conversion: null,
    custom_fields: [],
    custom_text: {
      after_submit: null,
      shipping_address: null,
      submit: null,
      terms_of_service_acceptance: null,
    },
    customer: null,
    customer_account: null,
    customer_creation:
      p.mode === 'payment' ? ((p.customer_creation ?? 'if_required') as 'if_required') : null,
    customer_details: null,
    customer_email: p.customer_email ?? null,
    discounts: [],
    expires_at: p.expires_at ?? nowS + DEFAULT_LIFETIME_S,
    integration_identifier: null,
    invoice: null,
    invoice_creation: null,
    livemode: false,
    locale: (p.locale ?? null) as Stripe.Checkout.Session['locale'],
    managed_payments: null,
    metadata: { ...p.metadata },
    mode: p.mode ?? 'payment',
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: p.mode === 'setup' ? null : 'always',
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: ['card'],
    payment_status: payable ? 'unpaid' : 'no_payment_required',
    permissions: null,
    phone_number_collection: { enabled: p.phone_number_collection?.enabled ?? false },
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: 'open',
    submit_type: (p.submit_type ?? null) as Stripe.Checkout.Session['submit_type'],
    subscription: null,
    success_url: p.success_url ?? null,
    tax_id_collection: { enabled: p.tax_id_collection?.enabled ?? false, required: 'never' },
    total_details: payable ? { amount_discount: 0, amount_shipping: 0, amount_tax: 0 } : null,
    ui_mode: uiMode,
    url: embedded ? null : `${publicUrl}/c/pay/${id}`,
    wallet_options: null,
  };
  if (embedded) {
    session.redirect_on_completion = p.redirect_on_completion ?? 'always';
    if (p.return_url !== undefined) session.return_url = p.return_url;
  }
  return { session, lineItems: items.map((item) => buildLineItem(item, nowS)) };
}

function buildLineItem(item: PricedItem, nowS: number): WireLineItem {
  const total = item.unitAmount * item.quantity;
  return {
    id: randomId('li_', 24),
    object: 'item',
    adjustable_quantity: null,
    amount_discount: 0,
    amount_subtotal: total,
    amount_tax: 0,
    amount_total: total,
    currency: item.currency,
    description: item.name,
    metadata: {},
    quantity: item.quantity,
    price: {
      id: randomId('price_', 24),
      object: 'price',
      active: false,
      billing_scheme: 'per_unit',
      created: nowS,
      currency: item.currency,
      custom_unit_amount: null,
      livemode: false,
      lookup_key: null,
      metadata: {},
      nickname: null,
      product: randomId('prod_', 14),
      recurring: item.recurring
        ? {
            ...item.recurring,
            interval: item.recurring.interval as 'month',
            meter: null,
            trial_period_days: null,
            usage_type: 'licensed',
          }
        : null,
      tax_behavior: (item.taxBehavior ?? 'unspecified') as 'unspecified',
      tiers_mode: null,
      transform_quantity: null,
      type: item.recurring ? 'recurring' : 'one_time',
      unit_amount: item.unitAmount,
      unit_amount_decimal: String(item.unitAmount),
    },
  };
}
