// @ts-check
// The reference's create, the same work per request as the service: API key, company and prices
// read from the database (cached for 10 s, as the service does); the payable leased (a new one
// inserted with its lease and write-ahead checkout row in one transaction); ONE Stripe create with
// an idempotency key; the row opened and the lease released in one transaction; the 8-field
// answer. An existing payable whose lease is free is re-leased, but its earlier sessions are not
// expired (scenario (a) never needs it). Row ids are UUIDv7, as the service makes them.
import { createHash, randomUUID } from 'node:crypto';
import { idAt } from '../lib/history.mjs';
import { createSession } from './stripe.mjs';
import { validate } from './validate.mjs';

const LEASE_MS = 60_000;

export class Problem extends Error {
  /** @param {number} status @param {string} code @param {string} message @param {unknown[]} [errors] */
  constructor(status, code, message, errors = []) {
    super(message);
    Object.assign(this, { status, code, errors });
  }
}

/** Dates as the service stores them: UTC `YYYY-MM-DD HH:MM:SS.mmm`. */
const sqlDate = (/** @type {Date} */ d) => d.toISOString().replace('T', ' ').replace('Z', '');
const sha256 = (/** @type {string} */ text) =>
  createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * @param {import('./store.mjs').Store} store
 * @param {string | undefined} apiKey
 * @param {any} body the parsed JSON
 */
export async function createCheckout(store, apiKey, body) {
  const caller = apiKey ? await store.apiKey(sha256(apiKey)) : undefined;
  if (!caller) throw new Problem(401, 'Unauthorized', 'A valid x-api-key is required');
  const errors = validate(body);
  if (errors.length) throw new Problem(400, 'ValidationException', errors[0].Message, errors);
  if (caller.company_id !== null && caller.company_id !== body.CompanyId)
    throw new Problem(403, 'Forbidden', 'This API key may not act for that company');
  const company = await store.company(body.CompanyId);
  if (!company) throw new Problem(404, 'CompanyNotFound', 'Company does not exist');
  if (!company.stripe_checkout_enabled || !company.stripe_account_id)
    throw new Problem(400, 'StripeCheckoutNotConfigured', 'No Stripe Checkout settings');
  const uiMode = (body.UiMode || 'hosted').toLowerCase();
  const cart = await price(store, company.id, body.CountryCode.trim().toUpperCase(), body.Articles);
  const checkout = writeAhead(company, body, cart, uiMode);
  const lease = await leaseWithWriteAhead(store, company.id, body.InternalReferenceId, checkout);
  try {
    const session = await stripeCreate(store, company, checkout);
    const opened = await store.openAndRelease({
      checkoutId: checkout.id,
      sessionId: session.id,
      paymentStatus: session.payment_status,
      url: session.url ?? null,
      now: sqlDate(new Date()),
      ...lease,
    });
    lease.released = true;
    if (!opened) throw new Problem(409, 'CheckoutInProgress', 'Another checkout is being created');
    return answer(session, uiMode, company.stripe_account_id);
  } finally {
    if (!lease.released) await store.release(lease.payableId, lease.token);
  }
}

/**
 * @param {import('./store.mjs').Store} store
 * @param {string} companyId
 * @param {string} countryCode
 * @param {{ ArticleId: number, ArticleTypeId: number, Quantity: number }[]} articles
 */
async function price(store, companyId, countryCode, articles) {
  const byArticle = new Map();
  for (const row of await store.prices(companyId, countryCode)) {
    const k = `${row.article_type_id}:${row.article_id}`;
    const known = byArticle.get(k);
    if (!known || (known.country_code === null && row.country_code !== null)) byArticle.set(k, row);
  }
  const lineItems = articles.map((a, i) => {
    const row = byArticle.get(`${a.ArticleTypeId}:${a.ArticleId}`);
    if (!row || !row.active)
      throw new Problem(400, 'ArticleNotFound', `Articles[${i}] does not exist`);
    return {
      articleId: row.article_id,
      articleTypeId: row.article_type_id,
      name: row.name,
      quantity: a.Quantity,
      unitAmount: row.unit_amount,
      vatBasisPoints: row.vat_basis_points,
      currency: String(row.currency).toLowerCase(),
    };
  });
  const currency = lineItems[0].currency;
  if (lineItems.some((item) => item.currency !== currency))
    throw new Problem(400, 'PriceNotFound', 'All articles must be priced in one currency');
  const amountTotal = lineItems.reduce((sum, item) => sum + item.unitAmount * item.quantity, 0);
  return { lineItems, currency, amountTotal };
}

/**
 * The write-ahead row and the Stripe parameters it keeps.
 * @param {any} company @param {any} body
 * @param {Awaited<ReturnType<typeof price>>} cart
 * @param {string} uiMode
 */
function writeAhead(company, body, cart, uiMode) {
  const id = idAt(Date.now());
  const now = new Date();
  const expiresAt = new Date(now.getTime() + company.session_lifetime_minutes * 60_000);
  const metadata = {
    CompanyId: company.id,
    InternalReferenceId: body.InternalReferenceId,
    CheckoutId: id,
  };
  /** @type {Record<string, unknown>} */
  const params = {
    mode: 'payment',
    ui_mode: uiMode === 'hosted' ? 'hosted_page' : 'embedded_page',
    client_reference_id: body.InternalReferenceId,
    expires_at: Math.floor(expiresAt.getTime() / 1000),
    metadata,
    payment_intent_data: { metadata },
    line_items: cart.lineItems.map((item) => ({
      quantity: item.quantity,
      price_data: {
        currency: cart.currency,
        unit_amount: item.unitAmount,
        product_data: { name: item.name },
      },
    })),
  };
  const confirmationUrl = body.ConfirmationUrl || company.default_confirmation_url;
  if (uiMode === 'hosted') {
    if (confirmationUrl) params.success_url = confirmationUrl;
    const cancelUrl = body.CancelUrl || company.default_cancel_url;
    if (cancelUrl) params.cancel_url = cancelUrl;
  } else if (confirmationUrl) params.return_url = confirmationUrl;
  else params.redirect_on_completion = 'never';
  const row = [
    id,
    '',
    company.id,
    uiMode,
    company.stripe_account_id,
    cart.amountTotal,
    cart.currency,
    JSON.stringify(cart.lineItems),
    JSON.stringify(params),
    `checkout-${id}`,
    sqlDate(expiresAt),
    sqlDate(now),
    sqlDate(now),
  ];
  return { id, params, row, idempotencyKey: `checkout-${id}` };
}

/**
 * @param {import('./store.mjs').Store} store
 * @param {string} companyId @param {string} reference
 * @param {ReturnType<typeof writeAhead>} checkout
 */
async function leaseWithWriteAhead(store, companyId, reference, checkout) {
  const now = new Date();
  const token = randomUUID();
  const lockedUntil = sqlDate(new Date(now.getTime() + LEASE_MS));
  const payableId = idAt(Date.now());
  checkout.row[1] = payableId;
  const payable = [payableId, companyId, reference, token, lockedUntil, sqlDate(now), sqlDate(now)];
  if (await store.createLeased(payable, checkout.row)) return { payableId, token, released: false };
  const existing = await store.lease([
    token,
    lockedUntil,
    sqlDate(now),
    companyId,
    reference,
    sqlDate(now),
  ]);
  if (!existing) throw new Problem(409, 'CheckoutInProgress', 'Another checkout is being created');
  checkout.row[1] = existing;
  await store.insertCheckout(checkout.row);
  return { payableId: existing, token, released: false };
}

/**
 * @param {import('./store.mjs').Store} store @param {any} company
 * @param {ReturnType<typeof writeAhead>} checkout
 */
async function stripeCreate(store, company, checkout) {
  try {
    return await createSession(company.stripe_account_id, checkout.params, checkout.idempotencyKey);
  } catch (error) {
    const status = /** @type {any} */ (error).status;
    if (status >= 400 && status < 500) await store.fail(sqlDate(new Date()), checkout.id);
    throw new Problem(502, 'StripeError', /** @type {Error} */ (error).message);
  }
}

/** @param {any} session @param {string} uiMode @param {string} account */
const answer = (session, uiMode, account) => ({
  SessionId: session.id,
  Url: uiMode === 'hosted' ? (session.url ?? null) : null,
  Status: session.status,
  ClientSecret: uiMode === 'embedded' ? (session.client_secret ?? null) : null,
  CustomerId: null,
  PaymentIntentClientSecret: null,
  PaymentIntentId: null,
  StripeAccount: account,
});
