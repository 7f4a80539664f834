// @ts-check
// The reference's statements on SQLite: better-sqlite3 prepared statements, same pragmas as the
// service (foreign keys, WAL). Synchronous, so every "transaction" is atomic by construction.
import Database from 'better-sqlite3';
import { DEMO, schema } from './schema.mjs';

/** @param {string} file @returns {Promise<import('./store.mjs').Store>} */
export async function sqliteStore(file) {
  const db = new Database(file, { timeout: 5000 });
  db.pragma('foreign_keys = ON');
  db.pragma('journal_mode = WAL');
  for (const ddl of schema('sqlite')) db.exec(ddl);
  seedDemo(db);
  const s = statements(db);
  const createLeased = db.transaction(
    (/** @type {unknown[]} */ payable, /** @type {unknown[]} */ checkout) => {
      if (s.insertPayable.run(...payable).changes === 0) return false;
      s.insertCheckout.run(...checkout);
      return true;
    },
  );
  const openAndRelease = db.transaction((/** @type {any} */ o) => {
    const opened = s.openCheckout.run(
      o.sessionId,
      o.paymentStatus,
      o.url,
      o.now,
      o.checkoutId,
    ).changes;
    s.releasePayable.run(o.payableId, o.token);
    return opened === 1;
  });
  return {
    apiKey: async (hash) => s.apiKey.get(hash),
    company: async (id) => s.company.get(id),
    prices: async (companyId, country) => s.prices.all(companyId, country),
    createLeased: async (payable, checkout) => createLeased(payable, checkout),
    lease: async (args) => /** @type {any} */ (s.leasePayable.get(...args))?.id,
    insertCheckout: async (checkout) => void s.insertCheckout.run(...checkout),
    openAndRelease: async (o) => openAndRelease(o),
    fail: async (now, id) => void s.failCheckout.run(now, id),
    release: async (payableId, token) => void s.releasePayable.run(payableId, token),
    close: async () => db.close(),
  };
}

/** @param {any} db */
function statements(db) {
  const sql = (/** @type {string} */ text) => db.prepare(text);
  return {
    apiKey: sql('SELECT company_id FROM api_keys WHERE key_hash = ? AND active = 1'),
    company: sql(COMPANY),
    prices: sql(PRICES),
    insertPayable: sql(
      `${INSERT_PAYABLE} ON CONFLICT (company_id, internal_reference_id) DO NOTHING`,
    ),
    leasePayable: sql(`${LEASE_PAYABLE} RETURNING id`),
    releasePayable: sql(RELEASE_PAYABLE),
    insertCheckout: sql(INSERT_CHECKOUT),
    openCheckout: sql(OPEN_CHECKOUT),
    failCheckout: sql(FAIL_CHECKOUT),
  };
}

/** @param {any} db */
function seedDemo(db) {
  if (/** @type {any} */ (db.prepare('SELECT COUNT(*) AS n FROM companies').get()).n > 0) return;
  db.transaction(() => {
    db.prepare(DEMO_COMPANY).run(DEMO.companyId, DEMO.account);
    db.prepare(DEMO_KEY).run(DEMO.keyHash, DEMO.companyId);
    const article = db.prepare(DEMO_ARTICLE);
    const price = db.prepare(DEMO_PRICE);
    for (const [articleId, typeId, name, amount, vat] of DEMO.articles)
      price.run(article.run(DEMO.companyId, typeId, articleId, name).lastInsertRowid, amount, vat);
  })();
}

export const COMPANY = `SELECT id, stripe_checkout_enabled, stripe_account_id, default_confirmation_url,
  default_cancel_url, session_lifetime_minutes FROM companies WHERE id = ?`;
export const PRICES = `SELECT a.article_type_id, a.article_id, a.name, a.active, p.country_code, p.currency,
  p.unit_amount, p.vat_basis_points FROM articles a JOIN article_prices p ON p.article_ref = a.id
  WHERE a.company_id = ? AND (p.country_code = ? OR p.country_code IS NULL)`;
export const INSERT_PAYABLE = `INSERT INTO payables (id, company_id, internal_reference_id, lock_token,
  locked_until, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`;
export const LEASE_PAYABLE = `UPDATE payables SET lock_token = ?, locked_until = ?, updated_at = ?
  WHERE company_id = ? AND internal_reference_id = ? AND (lock_token IS NULL OR locked_until < ?)
  AND paid_at IS NULL`;
export const RELEASE_PAYABLE =
  'UPDATE payables SET lock_token = NULL, locked_until = NULL WHERE id = ? AND lock_token = ?';
export const INSERT_CHECKOUT = `INSERT INTO checkouts (id, payable_id, company_id, state, ui_mode,
  stripe_account_id, amount_total, currency, line_items, stripe_request, idempotency_key, expires_at,
  created_at, updated_at) VALUES (?, ?, ?, 'creating', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
export const OPEN_CHECKOUT = `UPDATE checkouts SET state = 'open', stripe_session_id = ?, payment_status = ?,
  url = ?, stripe_request = NULL, updated_at = ? WHERE id = ? AND state = 'creating'`;
export const FAIL_CHECKOUT = `UPDATE checkouts SET state = 'failed', updated_at = ? WHERE id = ?`;
export const DEMO_COMPANY = `INSERT INTO companies (id, name, stripe_checkout_enabled, stripe_account_id,
  default_currency) VALUES (?, 'Demo Salon', 1, ?, 'SEK')`;
export const DEMO_KEY = 'INSERT INTO api_keys (key_hash, company_id) VALUES (?, ?)';
export const DEMO_ARTICLE =
  'INSERT INTO articles (company_id, article_type_id, article_id, name) VALUES (?, ?, ?, ?)';
export const DEMO_PRICE = `INSERT INTO article_prices (article_ref, country_code, currency, unit_amount,
  vat_basis_points) VALUES (?, NULL, 'SEK', ?, ?)`;
