// @ts-check
/* global AbortSignal, fetch */
// Stripe for the reference: one create with the idempotency key, form-encoded in Stripe's
// bracket notation, over fetch (undici, keep-alive).

const STRIPE_API_URL = (process.env.STRIPE_API_URL ?? 'http://127.0.0.1:12111').replace(/\/$/, '');
const STRIPE_KEY = process.env.STRIPE_SECRET_KEY ?? 'sk_test_bench';

/** @param {unknown} value @param {string} prefix @param {string[]} out */
function formEncode(value, prefix = '', out = []) {
  if (value === undefined || value === null) return out;
  if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) formEncode(v, prefix ? `${prefix}[${k}]` : k, out);
  } else {
    out.push(`${encodeURIComponent(prefix)}=${encodeURIComponent(String(value))}`);
  }
  return out;
}

/**
 * @param {string} account
 * @param {object} params
 * @param {string} idempotencyKey
 * @returns {Promise<any>} the session
 */
export async function createSession(account, params, idempotencyKey) {
  const response = await fetch(`${STRIPE_API_URL}/v1/checkout/sessions`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${STRIPE_KEY}`,
      'Content-Type': 'application/x-www-form-urlencoded',
      'Stripe-Account': account,
      'Idempotency-Key': idempotencyKey,
    },
    body: formEncode(params).join('&'),
    signal: AbortSignal.timeout(10_000),
  });
  const session = /** @type {any} */ (await response.json());
  if (!response.ok) {
    const error = Object.assign(
      new Error(session?.error?.message ?? `Stripe answered ${response.status}`),
      {
        status: response.status,
      },
    );
    throw error;
  }
  return session;
}
