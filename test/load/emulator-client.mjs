// @ts-check
/* global AbortSignal, URLSearchParams, fetch */
// The Stripe emulator seen from outside, as the service and a customer see it: sessions listed
// through the API (one account at a time) and paid on the hosted page.
import { STRIPE_KEY } from './fixtures.mjs';

/**
 * A Checkout Session as the emulator lists it, tagged with its account.
 * @typedef {object} Session
 * @property {string} id
 * @property {string} account
 * @property {'open' | 'complete' | 'expired'} status
 * @property {string} payment_status
 * @property {string | null} client_reference_id
 * @property {Record<string, string> | null} metadata
 * @property {string | null} url
 * @property {number} created
 */

/**
 * Every session of an account (or only those with a status), all pages.
 * @param {string} emulatorUrl
 * @param {string} account
 * @param {'open'} [status]
 * @returns {Promise<Session[]>}
 */
export async function listSessions(emulatorUrl, account, status) {
  /** @type {Session[]} */
  const sessions = [];
  let after;
  for (let page = 0; page < 1000; page++) {
    const query = new URLSearchParams({ limit: '100' });
    if (status) query.set('status', status);
    if (after) query.set('starting_after', after);
    const response = await fetch(`${emulatorUrl}/v1/checkout/sessions?${query}`, {
      headers: { Authorization: `Bearer ${STRIPE_KEY}`, 'Stripe-Account': account },
      signal: AbortSignal.timeout(10_000),
    });
    const body = /** @type {any} */ (await response.json());
    if (!response.ok)
      throw new Error(`emulator list ${account}: ${response.status} ${JSON.stringify(body)}`);
    sessions.push(.../** @type {Session[]} */ (body.data).map((s) => ({ ...s, account })));
    if (!body.has_more || !body.data.length) return sessions;
    after = body.data.at(-1).id;
  }
  throw new Error(`emulator list ${account}: more than 1000 pages`);
}

/**
 * What the hosted page said to the Pay button: paid (now or before), expired (410), or else.
 * @typedef {'paid' | 'expired' | 'refused'} PayOutcome
 */

/**
 * A customer pressing Pay on the hosted page of a URL the service handed out.
 * @param {string} sessionUrl e.g. http://127.0.0.1:port/c/pay/cs_test_...
 * @returns {Promise<{ outcome: PayOutcome, status: number }>}
 */
export async function payOnHostedPage(sessionUrl) {
  const response = await fetch(`${sessionUrl}/complete`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: 'load@example.com' }),
    redirect: 'manual',
    signal: AbortSignal.timeout(10_000),
  });
  await response.arrayBuffer();
  const { status } = response;
  if (status === 302 || status === 303 || status === 200) return { outcome: 'paid', status };
  if (status === 410) return { outcome: 'expired', status };
  return { outcome: 'refused', status };
}

/**
 * Creates a session behind the service's back (--sabotage): a session the database does not know.
 * @param {string} emulatorUrl
 * @param {{ account: string, companyId: string, ref: string }} target
 * @returns {Promise<string>} its id
 */
export async function createForeignSession(emulatorUrl, { account, companyId, ref }) {
  const form = new URLSearchParams({
    mode: 'payment',
    success_url: 'http://127.0.0.1/ok',
    client_reference_id: ref,
    'metadata[CompanyId]': companyId,
    'metadata[InternalReferenceId]': ref,
    'line_items[0][quantity]': '1',
    'line_items[0][price_data][currency]': 'sek',
    'line_items[0][price_data][unit_amount]': '100',
    'line_items[0][price_data][product_data][name]': 'sabotage',
  });
  const response = await fetch(`${emulatorUrl}/v1/checkout/sessions`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${STRIPE_KEY}`,
      'Stripe-Account': account,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: form,
    signal: AbortSignal.timeout(10_000),
  });
  const session = /** @type {any} */ (await response.json());
  if (!response.ok)
    throw new Error(`sabotage create: ${response.status} ${JSON.stringify(session)}`);
  return session.id;
}
