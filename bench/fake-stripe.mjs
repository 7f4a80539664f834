// @ts-check
/* global Buffer, URLSearchParams */
// A minimal fake Stripe for `npm run bench`: plain node:http, its own process, answering at once
// so that what is measured is the server under test, not Stripe. It validates nothing and keeps
// only what the bench's flows read back: each session's status (an expire or a retrieve of an
// earlier session) and the fields echoed from the create. The validating emulator stays for tests.
//
// Forked by bench/lib/processes.mjs: it reports { type: 'ready', url }, answers
// { type: 'counts', id } over IPC with the counters of scripts/counting-emulator.mjs (same shape),
// and exits when the IPC channel closes.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

/**
 * @typedef {object} FakeSession
 * @property {string} id
 * @property {'open' | 'expired'} status
 * @property {string | null} clientReferenceId
 * @property {Record<string, string>} metadata
 * @property {number} amountTotal
 * @property {string | null} currency
 * @property {string} uiMode
 * @property {number} expiresAt
 * @property {string} account
 */

/** @type {Map<string, FakeSession>} */
const sessions = new Map();
/** @type {import('../scripts/child-processes.mjs').EmulatorCounts} */
const counts = {
  v1: 0,
  inFlight: 0,
  byEndpoint: {},
  byStatus: {},
  byEndpointStatus: {},
  webhooks: { pending: 0, delivered: 0, failed: 0 },
};
const prefix = randomBytes(4).toString('hex');
let sequence = 0;

/** @param {Record<string, number>} table @param {string} key */
const add = (table, key) => (table[key] = (table[key] ?? 0) + 1);

/**
 * The create's form fields the answer echoes.
 * @param {URLSearchParams} form
 * @param {string} account
 * @returns {FakeSession}
 */
function newSession(form, account) {
  /** @type {Record<string, string>} */
  const metadata = {};
  let amountTotal = 0;
  for (const [key, value] of form) {
    const meta = /^metadata\[(\w+)\]$/.exec(key);
    if (meta) metadata[meta[1]] = value;
    const price = /^line_items\[(\d+)\]\[price_data\]\[unit_amount\]$/.exec(key);
    if (price) amountTotal += Number(value) * Number(form.get(`line_items[${price[1]}][quantity]`));
  }
  return {
    id: `cs_test_${prefix}${(++sequence).toString(36).padStart(8, '0')}`,
    status: 'open',
    clientReferenceId: form.get('client_reference_id'),
    metadata,
    amountTotal,
    currency: form.get('line_items[0][price_data][currency]'),
    uiMode: form.get('ui_mode') ?? 'hosted_page',
    expiresAt: Number(form.get('expires_at') ?? Math.floor(Date.now() / 1000) + 3600),
    account,
  };
}

/** The session as Stripe's API shapes it, with only the fields the service reads. */
function wire(/** @type {FakeSession} */ s) {
  const hosted = s.uiMode === 'hosted_page' || s.uiMode === 'hosted';
  return {
    id: s.id,
    object: 'checkout.session',
    status: s.status,
    payment_status: 'unpaid',
    mode: 'payment',
    ui_mode: s.uiMode,
    client_reference_id: s.clientReferenceId,
    metadata: s.metadata,
    amount_total: s.amountTotal,
    currency: s.currency,
    expires_at: s.expiresAt,
    url: hosted && s.status === 'open' ? `https://checkout.fake.test/c/pay/${s.id}` : null,
    client_secret: hosted ? null : `${s.id}_secret_fake`,
    customer: null,
    customer_details: null,
    payment_intent: null,
    livemode: false,
  };
}

/**
 * @param {string} method
 * @param {string} path
 * @param {URLSearchParams} form
 * @param {string} account
 * @returns {[number, object]}
 */
function answer(method, path, form, account) {
  if (method === 'POST' && path === '/v1/checkout/sessions') {
    const session = newSession(form, account);
    sessions.set(session.id, session);
    return [200, wire(session)];
  }
  if (method === 'GET' && path === '/v1/checkout/sessions')
    return [200, { object: 'list', data: [], has_more: false, url: path }];
  const match = /^\/v1\/checkout\/sessions\/([^/]+)(\/expire)?$/.exec(path);
  const session = match ? sessions.get(match[1]) : undefined;
  if (!session)
    return [404, { error: { type: 'invalid_request_error', code: 'resource_missing' } }];
  if (method === 'GET' && !match?.[2]) return [200, wire(session)];
  if (method === 'POST' && match?.[2]) {
    if (session.status !== 'open')
      return [400, { error: { type: 'invalid_request_error', message: 'not open' } }];
    session.status = 'expired';
    return [200, wire(session)];
  }
  return [404, { error: { type: 'invalid_request_error', message: 'unknown route' } }];
}

const server = createServer((req, res) => {
  /** @type {Buffer[]} */
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const [path, query = ''] = (req.url ?? '/').split('?');
    const endpoint = `${req.method} ${path.replace(/\/cs_\w+/, '/{id}')}`;
    counts.v1++;
    add(counts.byEndpoint, endpoint);
    const form = new URLSearchParams(chunks.length ? Buffer.concat(chunks).toString() : query);
    const account = String(req.headers['stripe-account'] ?? '');
    const [status, body] = answer(req.method ?? 'GET', path, form, account);
    add(counts.byStatus, String(status));
    add(counts.byEndpointStatus, `${endpoint} ${status}`);
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      'request-id': `req_fake_${counts.v1}`,
    });
    res.end(text);
  });
});
server.keepAliveTimeout = 30_000;

server.listen(Number(process.env.FAKE_STRIPE_PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' ? address?.port : ''}`;
  if (process.send) process.send({ type: 'ready', url });
  else console.log(`fake Stripe listening on ${url}`);
});

process.on('message', (/** @type {any} */ message) => {
  if (message?.type === 'counts') process.send?.({ type: 'counts', id: message.id, counts });
});
const stop = () => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
};
process.on('disconnect', stop);
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
