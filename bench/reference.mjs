/* global AbortSignal, Buffer, fetch */
// A minimal hand-written reference of POST /payment/stripe/v1/checkout for the benchmark: plain
// node:http + better-sqlite3 (the service's driver, same pragmas) + fetch to the same Stripe
// emulator. Same work per new payable as the service: API key, company and prices read from
// SQLite; the payable inserted with a lease; the write-ahead checkout row; ONE Stripe create with
// an idempotency key; the row updated; the lease released; the 8-field answer.
// It only serves what scenario (a) needs: an existing payable whose lease is free is re-leased,
// but its earlier sessions are not expired (the service's expire path is not mirrored here).
//
// Usage: node bench/reference.mjs   (env REFERENCE_DB, STRIPE_API_URL, PORT; forked by run.mjs)
import Database from 'better-sqlite3';
import { createHash, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

const DB_PATH = process.env.REFERENCE_DB ?? ':memory:';
const STRIPE_API_URL = (process.env.STRIPE_API_URL ?? 'http://127.0.0.1:12111').replace(/\/$/, '');
const STRIPE_KEY = process.env.STRIPE_SECRET_KEY ?? 'sk_test_bench';
const PORT = Number(process.env.PORT ?? 0);

const COMPANY_ID = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
const ACCOUNT = 'acct_1DemoSalonSE0001';
const LEASE_MS = 60_000;

// ---- database: same driver and pragmas as TypeORM's better-sqlite3 driver (foreign keys, WAL)
const db = new Database(DB_PATH, { timeout: 5000 });
db.pragma('foreign_keys = ON');
if (DB_PATH !== ':memory:') db.pragma('journal_mode = WAL');
db.exec(`
  CREATE TABLE IF NOT EXISTS companies (
    id varchar(36) PRIMARY KEY, name varchar(200) NOT NULL,
    stripe_checkout_enabled boolean NOT NULL DEFAULT 0, stripe_account_id varchar(255),
    default_currency varchar(3) NOT NULL, default_confirmation_url varchar(2048),
    default_cancel_url varchar(2048), session_lifetime_minutes integer NOT NULL DEFAULT 60);
  CREATE TABLE IF NOT EXISTS api_keys (
    id integer PRIMARY KEY AUTOINCREMENT, key_hash varchar(64) NOT NULL UNIQUE,
    company_id varchar(36), active boolean NOT NULL DEFAULT 1);
  CREATE TABLE IF NOT EXISTS articles (
    id integer PRIMARY KEY AUTOINCREMENT, company_id varchar(36) NOT NULL,
    article_type_id integer NOT NULL, article_id integer NOT NULL, name varchar(200) NOT NULL,
    active boolean NOT NULL DEFAULT 1, UNIQUE (company_id, article_type_id, article_id));
  CREATE TABLE IF NOT EXISTS article_prices (
    id integer PRIMARY KEY AUTOINCREMENT,
    article_ref integer NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    country_code varchar(2), currency varchar(3) NOT NULL, unit_amount integer NOT NULL,
    vat_basis_points integer NOT NULL DEFAULT 0, UNIQUE (article_ref, country_code));
  CREATE TABLE IF NOT EXISTS payables (
    id varchar(36) PRIMARY KEY, company_id varchar(36) NOT NULL,
    internal_reference_id varchar(100) NOT NULL, paid_checkout_id varchar(36), paid_at datetime,
    lock_token varchar(36), locked_until datetime, created_at datetime NOT NULL,
    updated_at datetime NOT NULL, UNIQUE (company_id, internal_reference_id));
  CREATE TABLE IF NOT EXISTS checkouts (
    id varchar(36) PRIMARY KEY, payable_id varchar(36) NOT NULL, company_id varchar(36) NOT NULL,
    state varchar(16) NOT NULL, payment_status varchar(32), ui_mode varchar(16) NOT NULL,
    stripe_session_id varchar(255) UNIQUE, stripe_account_id varchar(255) NOT NULL,
    url varchar(2048), amount_total integer NOT NULL, currency varchar(3) NOT NULL,
    line_items text NOT NULL, stripe_request text NOT NULL,
    idempotency_key varchar(64) NOT NULL UNIQUE, expires_at datetime NOT NULL,
    created_at datetime NOT NULL, updated_at datetime NOT NULL);
  CREATE INDEX IF NOT EXISTS IX_checkouts_payable_state ON checkouts (payable_id, state);
`);
if (db.prepare('SELECT COUNT(*) AS n FROM companies').get().n === 0) {
  db.transaction(() => {
    db.prepare(
      `INSERT INTO companies (id, name, stripe_checkout_enabled, stripe_account_id, default_currency)
       VALUES (?, 'Demo Salon', 1, ?, 'SEK')`,
    ).run(COMPANY_ID, ACCOUNT);
    db.prepare('INSERT INTO api_keys (key_hash, company_id) VALUES (?, ?)').run(
      sha256('demo-api-key'),
      COMPANY_ID,
    );
    const article = db.prepare(
      'INSERT INTO articles (company_id, article_type_id, article_id, name) VALUES (?, ?, ?, ?)',
    );
    const price = db.prepare(
      `INSERT INTO article_prices (article_ref, country_code, currency, unit_amount, vat_basis_points)
       VALUES (?, NULL, 'SEK', ?, ?)`,
    );
    for (const [articleId, typeId, name, amount, vat] of [
      [1, 1, 'Haircut 45 min', 45000, 2500],
      [2, 1, 'Beard trim', 20000, 2500],
      [1, 4, 'Gift card 500 SEK', 50000, 0],
    ]) {
      price.run(article.run(COMPANY_ID, typeId, articleId, name).lastInsertRowid, amount, vat);
    }
  })();
}

const sql = {
  apiKey: db.prepare('SELECT company_id FROM api_keys WHERE key_hash = ? AND active = 1'),
  company: db.prepare(
    `SELECT id, stripe_checkout_enabled, stripe_account_id, default_confirmation_url,
            default_cancel_url, session_lifetime_minutes FROM companies WHERE id = ?`,
  ),
  prices: db.prepare(
    `SELECT a.article_type_id, a.article_id, a.name, a.active, p.country_code, p.currency,
            p.unit_amount, p.vat_basis_points
       FROM articles a JOIN article_prices p ON p.article_ref = a.id
      WHERE a.company_id = ? AND (p.country_code = ? OR p.country_code IS NULL)`,
  ),
  insertPayable: db.prepare(
    `INSERT INTO payables (id, company_id, internal_reference_id, lock_token, locked_until,
                           created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (company_id, internal_reference_id) DO NOTHING`,
  ),
  leasePayable: db.prepare(
    `UPDATE payables SET lock_token = ?, locked_until = ?, updated_at = ?
      WHERE company_id = ? AND internal_reference_id = ?
        AND (lock_token IS NULL OR locked_until < ?) AND paid_at IS NULL
      RETURNING id`,
  ),
  releasePayable: db.prepare(
    'UPDATE payables SET lock_token = NULL, locked_until = NULL WHERE id = ? AND lock_token = ?',
  ),
  insertCheckout: db.prepare(
    `INSERT INTO checkouts (id, payable_id, company_id, state, ui_mode, stripe_account_id,
       amount_total, currency, line_items, stripe_request, idempotency_key, expires_at,
       created_at, updated_at)
     VALUES (?, ?, ?, 'creating', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  openCheckout: db.prepare(
    `UPDATE checkouts SET state = 'open', stripe_session_id = ?, payment_status = ?, url = ?,
            updated_at = ? WHERE id = ?`,
  ),
  failCheckout: db.prepare(`UPDATE checkouts SET state = 'failed', updated_at = ? WHERE id = ?`),
};

function sha256(text) {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

// ---- validation by hand
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isInt = (v, min, max) => Number.isInteger(v) && v >= min && v <= max;

function validate(body) {
  const errors = [];
  const fail = (FieldName, Message) =>
    errors.push({ ErrorCode: 'ValidationException', FieldName, Message });
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    fail('', 'The request body must be a JSON object');
    return errors;
  }
  if (typeof body.CompanyId !== 'string' || !UUID.test(body.CompanyId))
    fail('CompanyId', 'CompanyId must be a UUID');
  if (typeof body.CountryCode !== 'string' || !/^[A-Za-z]{2}$/.test(body.CountryCode.trim()))
    fail('CountryCode', 'CountryCode must be an ISO 3166-1 alpha-2 code');
  if (!Array.isArray(body.Articles) || body.Articles.length < 1 || body.Articles.length > 100) {
    fail('Articles', 'Articles must hold 1 to 100 items');
  } else {
    body.Articles.forEach((a, i) => {
      if (a === null || typeof a !== 'object') return fail(`Articles[${i}]`, 'must be an object');
      if (!isInt(a.ArticleId, 1, 2 ** 31 - 1)) fail(`Articles[${i}].ArticleId`, 'invalid');
      if (!isInt(a.ArticleTypeId, 1, 2 ** 31 - 1)) fail(`Articles[${i}].ArticleTypeId`, 'invalid');
      if (!isInt(a.Quantity, 1, 999)) fail(`Articles[${i}].Quantity`, 'must be 1 to 999');
    });
  }
  const ref = body.InternalReferenceId;
  if (typeof ref !== 'string' || ref.length < 1 || ref.length > 100)
    fail('InternalReferenceId', 'InternalReferenceId must be 1 to 100 characters');
  for (const field of ['ConfirmationUrl', 'CancelUrl']) {
    const v = body[field];
    if (v !== undefined && v !== null && (typeof v !== 'string' || v.length > 2048))
      fail(field, `${field} must be a URL of at most 2048 characters`);
  }
  const mode = body.UiMode ?? 'hosted';
  if (typeof mode !== 'string' || !['hosted', 'embedded'].includes(mode.toLowerCase() || 'hosted'))
    fail('UiMode', 'UiMode must be hosted or embedded');
  return errors;
}

// ---- Stripe: form encoding in Stripe's bracket notation
function formEncode(value, prefix, out = []) {
  if (value === undefined || value === null) return out;
  if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) formEncode(v, prefix ? `${prefix}[${k}]` : k, out);
  } else {
    out.push(`${encodeURIComponent(prefix)}=${encodeURIComponent(String(value))}`);
  }
  return out;
}

async function createSession(account, params, idempotencyKey) {
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
  const session = await response.json();
  if (!response.ok) {
    const error = new Error(session?.error?.message ?? `Stripe answered ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return session;
}

// ---- HTTP
function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function problem(res, status, ErrorCode, Message, Errors = []) {
  send(res, status, { ResponseStatus: { ErrorCode, Message, Errors } });
}

function readJson(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= 100_000) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > 100_000) return reject(Object.assign(new Error('too large'), { status: 413 }));
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(Object.assign(new Error('The body is not valid JSON'), { status: 400 }));
      }
    });
    req.on('error', reject);
  });
}

async function createCheckout(req, res) {
  const key = req.headers['x-api-key'];
  const caller = typeof key === 'string' ? sql.apiKey.get(sha256(key)) : undefined;
  if (!caller) return problem(res, 401, 'Unauthorized', 'A valid x-api-key is required');
  let body;
  try {
    body = await readJson(req);
  } catch (error) {
    return problem(res, error.status ?? 400, 'ValidationException', error.message);
  }
  const errors = validate(body);
  if (errors.length) return problem(res, 400, 'ValidationException', errors[0].Message, errors);
  if (caller.company_id !== null && caller.company_id !== body.CompanyId)
    return problem(res, 403, 'Forbidden', 'This API key may not act for that company');

  const company = sql.company.get(body.CompanyId);
  if (!company) return problem(res, 404, 'CompanyNotFound', 'Company does not exist');
  if (!company.stripe_checkout_enabled || !company.stripe_account_id)
    return problem(res, 400, 'StripeCheckoutNotConfigured', 'No Stripe Checkout settings');
  const uiMode = (body.UiMode || 'hosted').toLowerCase();
  const countryCode = body.CountryCode.trim().toUpperCase();

  const byArticle = new Map();
  for (const row of sql.prices.all(company.id, countryCode)) {
    const k = `${row.article_type_id}:${row.article_id}`;
    const known = byArticle.get(k);
    if (!known || (known.country_code === null && row.country_code !== null)) byArticle.set(k, row);
  }
  const lineItems = [];
  for (const [i, a] of body.Articles.entries()) {
    const row = byArticle.get(`${a.ArticleTypeId}:${a.ArticleId}`);
    if (!row || !row.active)
      return problem(res, 400, 'ArticleNotFound', `Articles[${i}] does not exist`);
    lineItems.push({
      articleId: row.article_id,
      articleTypeId: row.article_type_id,
      name: row.name,
      quantity: a.Quantity,
      unitAmount: row.unit_amount,
      vatBasisPoints: row.vat_basis_points,
      currency: row.currency.toLowerCase(),
    });
  }
  const currency = lineItems[0].currency;
  if (lineItems.some((item) => item.currency !== currency))
    return problem(res, 400, 'PriceNotFound', 'All articles must be priced in one currency');
  const amountTotal = lineItems.reduce((sum, item) => sum + item.unitAmount * item.quantity, 0);

  // the lease on the payable (new row, or an existing one whose lease is free)
  const now = new Date();
  const nowIso = now.toISOString();
  const token = randomUUID();
  const lockedUntil = new Date(now.getTime() + LEASE_MS).toISOString();
  let payableId = randomUUID();
  const inserted = sql.insertPayable.run(
    payableId,
    company.id,
    body.InternalReferenceId,
    token,
    lockedUntil,
    nowIso,
    nowIso,
  );
  if (inserted.changes === 0) {
    const leased = sql.leasePayable.get(
      token,
      lockedUntil,
      nowIso,
      company.id,
      body.InternalReferenceId,
      nowIso,
    );
    if (!leased)
      return problem(res, 409, 'CheckoutInProgress', 'Another checkout is being created');
    payableId = leased.id;
  }
  try {
    // write ahead
    const checkoutId = randomUUID();
    const expiresAt = new Date(now.getTime() + company.session_lifetime_minutes * 60_000);
    const metadata = {
      CompanyId: company.id,
      InternalReferenceId: body.InternalReferenceId,
      CheckoutId: checkoutId,
    };
    const params = {
      mode: 'payment',
      ui_mode: uiMode === 'hosted' ? 'hosted_page' : 'embedded_page',
      client_reference_id: body.InternalReferenceId,
      expires_at: Math.floor(expiresAt.getTime() / 1000),
      metadata,
      payment_intent_data: { metadata },
      line_items: lineItems.map((item) => ({
        quantity: item.quantity,
        price_data: { currency, unit_amount: item.unitAmount, product_data: { name: item.name } },
      })),
    };
    const confirmationUrl = body.ConfirmationUrl || company.default_confirmation_url;
    if (uiMode === 'hosted') {
      if (confirmationUrl) params.success_url = confirmationUrl;
      const cancelUrl = body.CancelUrl || company.default_cancel_url;
      if (cancelUrl) params.cancel_url = cancelUrl;
    } else if (confirmationUrl) params.return_url = confirmationUrl;
    else params.redirect_on_completion = 'never';
    const idempotencyKey = `checkout-${checkoutId}`;
    sql.insertCheckout.run(
      checkoutId,
      payableId,
      company.id,
      uiMode,
      company.stripe_account_id,
      amountTotal,
      currency,
      JSON.stringify(lineItems),
      JSON.stringify(params),
      idempotencyKey,
      expiresAt.toISOString(),
      nowIso,
      nowIso,
    );
    let session;
    try {
      session = await createSession(company.stripe_account_id, params, idempotencyKey);
    } catch (error) {
      if (error.status >= 400 && error.status < 500)
        sql.failCheckout.run(new Date().toISOString(), checkoutId);
      return problem(res, 502, 'StripeError', error.message);
    }
    sql.openCheckout.run(
      session.id,
      session.payment_status,
      session.url ?? null,
      new Date().toISOString(),
      checkoutId,
    );
    return send(res, 200, {
      SessionId: session.id,
      Url: uiMode === 'hosted' ? (session.url ?? null) : null,
      Status: session.status,
      ClientSecret: uiMode === 'embedded' ? (session.client_secret ?? null) : null,
      CustomerId: null,
      PaymentIntentClientSecret: null,
      PaymentIntentId: null,
      StripeAccount: company.stripe_account_id,
    });
  } finally {
    sql.releasePayable.run(payableId, token);
  }
}

const server = createServer((req, res) => {
  const path = req.url?.split('?')[0];
  if (req.method === 'POST' && path === '/payment/stripe/v1/checkout') {
    createCheckout(req, res).catch((error) => {
      if (!res.headersSent) problem(res, 500, 'InternalServerError', String(error?.message));
    });
  } else {
    problem(res, 404, 'NotFound', 'No such route');
  }
});
server.keepAliveTimeout = 5_000;

server.listen(PORT, '127.0.0.1', () => {
  const url = `http://127.0.0.1:${server.address().port}`;
  if (process.send) process.send({ type: 'ready', url });
  else console.log(`reference listening on ${url}`);
});

const stop = () => {
  server.close();
  server.closeAllConnections();
  db.close();
  process.exit(0);
};
process.on('disconnect', stop);
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
