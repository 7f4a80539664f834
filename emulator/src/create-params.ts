import { invalidRequest, missingParam, resourceMissing } from './stripe-errors.js';

/** The subset of (already schema-validated and coerced) create params the emulator acts on. */
export interface LineItemParam {
  price?: string;
  quantity?: number;
  price_data?: {
    currency: string;
    unit_amount?: number;
    unit_amount_decimal?: string;
    product?: string;
    product_data?: { name: string; description?: string; metadata?: Record<string, string> };
    recurring?: { interval: string; interval_count?: number };
    tax_behavior?: string;
  };
}

export interface CreateSessionParams {
  mode?: 'payment' | 'setup' | 'subscription';
  ui_mode?: 'hosted_page' | 'embedded_page' | 'elements';
  success_url?: string;
  cancel_url?: string;
  return_url?: string;
  redirect_on_completion?: 'always' | 'if_required' | 'never';
  expires_at?: number;
  line_items?: LineItemParam[];
  currency?: string;
  customer?: string;
  customer_email?: string;
  client_reference_id?: string;
  metadata?: Record<string, string>;
  payment_intent_data?: { metadata?: Record<string, string>; description?: string };
  locale?: string;
  submit_type?: string;
  billing_address_collection?: string;
  allow_promotion_codes?: boolean;
  customer_creation?: string;
  phone_number_collection?: { enabled: boolean };
  tax_id_collection?: { enabled: boolean };
  automatic_tax?: { enabled: boolean };
  expand?: string[];
}

export interface PricedItem {
  name: string;
  description: string | undefined;
  currency: string;
  unitAmount: number;
  quantity: number;
  recurring: { interval: string; interval_count: number } | null;
  taxBehavior: string | null;
}

const MIN_EXPIRY_S = 30 * 60;
const MAX_EXPIRY_S = 24 * 60 * 60;
// Clients compute expires_at before the request travels; Stripe tolerates that small skew too.
const EXPIRY_SKEW_S = 10;

/** Stripe's cross-field rules that the JSON schema cannot express. */
export function checkCreateParams(p: CreateSessionParams, nowS: number): PricedItem[] {
  if (!p.mode) throw missingParam('mode');
  checkUrls(p);
  checkUiModeUrls(p);
  if (p.expires_at !== undefined) checkExpiry(p.expires_at, nowS);
  if (p.customer !== undefined) throw resourceMissing('customer', p.customer, 'customer');
  if (p.payment_intent_data && p.mode !== 'payment') {
    throw invalidRequest(
      'You can only specify `payment_intent_data` in `payment` mode.',
      'payment_intent_data',
    );
  }
  checkMetadata(p.metadata, 'metadata');
  if (p.mode === 'setup') {
    if (p.line_items?.length) {
      throw invalidRequest('You cannot pass `line_items` in `setup` mode.', 'line_items');
    }
    if (!p.currency) throw missingParam('currency');
    return [];
  }
  if (!p.line_items?.length) throw missingParam('line_items');
  const items = p.line_items.map((item, i) => pricedItem(item, `line_items[${i}]`));
  checkCurrenciesAndRecurrence(items, p.mode);
  return items;
}

function checkUrls(p: CreateSessionParams): void {
  for (const param of ['success_url', 'cancel_url', 'return_url'] as const) {
    const value = p[param];
    if (value !== undefined && !/^https?:\/\/[^\s]+$/i.test(value)) {
      throw invalidRequest('Not a valid URL', param);
    }
  }
}

function checkUiModeUrls(p: CreateSessionParams): void {
  const uiMode = p.ui_mode ?? 'hosted_page';
  if (uiMode === 'hosted_page') {
    if (p.return_url !== undefined) {
      throw invalidRequest(
        '`return_url` can only be used with `ui_mode=embedded_page` or `ui_mode=elements`.',
        'return_url',
      );
    }
    if (p.redirect_on_completion !== undefined) {
      throw invalidRequest(
        '`redirect_on_completion` can only be used with `ui_mode=embedded_page` or `ui_mode=elements`.',
        'redirect_on_completion',
      );
    }
    return;
  }
  for (const param of ['success_url', 'cancel_url'] as const) {
    if (p[param] !== undefined) {
      throw invalidRequest(`\`${param}\` is not allowed when \`ui_mode\` is \`${uiMode}\`.`, param);
    }
  }
  if (p.redirect_on_completion === 'never') {
    if (p.return_url !== undefined) {
      throw invalidRequest(
        '`return_url` cannot be set when `redirect_on_completion` is `never`.',
        'return_url',
      );
    }
  } else if (p.return_url === undefined) {
    throw invalidRequest(
      `\`return_url\` is required when \`ui_mode\` is \`${uiMode}\` unless \`redirect_on_completion\` is \`never\`.`,
      'return_url',
    );
  }
}

function checkExpiry(expiresAt: number, nowS: number): void {
  if (expiresAt < nowS + MIN_EXPIRY_S - EXPIRY_SKEW_S) {
    throw invalidRequest(
      'The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.',
      'expires_at',
    );
  }
  if (expiresAt > nowS + MAX_EXPIRY_S + EXPIRY_SKEW_S) {
    throw invalidRequest(
      'The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.',
      'expires_at',
    );
  }
}

function checkMetadata(metadata: Record<string, string> | undefined, param: string): void {
  if (!metadata) return;
  const keys = Object.keys(metadata);
  if (keys.length > 50) throw invalidRequest('Invalid metadata: must have at most 50 keys', param);
  for (const key of keys) {
    if (key.length > 40) {
      throw invalidRequest(
        `Invalid ${param}: keys must be at most 40 characters`,
        `${param}[${key}]`,
      );
    }
    if (metadata[key].length > 500) {
      throw invalidRequest(
        `Invalid ${param}: values must be at most 500 characters`,
        `${param}[${key}]`,
      );
    }
  }
}

function pricedItem(item: LineItemParam, at: string): PricedItem {
  if (item.price !== undefined) throw resourceMissing('price', item.price, `${at}[price]`);
  const data = item.price_data;
  if (!data) throw missingParam(`${at}[price_data]`);
  if (data.product !== undefined) {
    throw resourceMissing('product', data.product, `${at}[price_data][product]`);
  }
  if (!data.product_data) throw missingParam(`${at}[price_data][product_data]`);
  if (!/^[a-zA-Z]{3}$/.test(data.currency)) {
    throw invalidRequest(
      `Invalid currency: ${data.currency.toLowerCase()}.`,
      `${at}[price_data][currency]`,
    );
  }
  const unitAmount = data.unit_amount ?? decimalAmount(data.unit_amount_decimal, at);
  if (unitAmount < 0) {
    throw invalidRequest(
      'This value must be greater than or equal to 0.',
      `${at}[price_data][unit_amount]`,
    );
  }
  if (item.quantity === undefined) throw missingParam(`${at}[quantity]`);
  if (item.quantity < 1) {
    throw invalidRequest('This value must be greater than or equal to 1.', `${at}[quantity]`);
  }
  return {
    name: data.product_data.name,
    description: data.product_data.description,
    currency: data.currency.toLowerCase(),
    unitAmount,
    quantity: item.quantity,
    recurring: data.recurring
      ? { interval: data.recurring.interval, interval_count: data.recurring.interval_count ?? 1 }
      : null,
    taxBehavior: data.tax_behavior ?? null,
  };
}

function decimalAmount(decimal: string | undefined, at: string): number {
  if (decimal === undefined) throw missingParam(`${at}[price_data][unit_amount]`);
  const value = Number(decimal);
  if (!Number.isFinite(value)) {
    throw invalidRequest(
      `Invalid decimal: ${decimal.slice(0, 50)}`,
      `${at}[price_data][unit_amount_decimal]`,
    );
  }
  return Math.round(value);
}

function checkCurrenciesAndRecurrence(items: PricedItem[], mode: 'payment' | 'subscription'): void {
  if (items.some((item) => item.currency !== items[0].currency)) {
    throw invalidRequest('All line items must have the same currency.', 'line_items');
  }
  const recurring = items.some((item) => item.recurring);
  if (mode === 'payment' && recurring) {
    throw invalidRequest(
      'You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.',
      'line_items',
    );
  }
  if (mode === 'subscription' && !recurring) {
    throw invalidRequest(
      'You must provide at least one recurring price in `subscription` mode when using prices.',
      'line_items',
    );
  }
}
