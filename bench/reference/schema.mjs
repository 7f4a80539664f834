// @ts-check
import { createHash } from 'node:crypto';
// The reference's tables, the same columns the service keeps for the create path (so that
// bench/lib/seed.mjs can write the same history into both), for SQLite and MariaDB.

/** @param {'sqlite' | 'mysql'} kind @returns {string[]} */
export function schema(kind) {
  const autoId =
    kind === 'sqlite' ? 'integer PRIMARY KEY AUTOINCREMENT' : 'integer PRIMARY KEY AUTO_INCREMENT';
  const table = 'CREATE TABLE IF NOT EXISTS';
  return [
    `${table} companies (id varchar(36) PRIMARY KEY, name varchar(200) NOT NULL,
      stripe_checkout_enabled boolean NOT NULL DEFAULT 0, stripe_account_id varchar(255),
      default_currency varchar(3) NOT NULL, default_confirmation_url varchar(2048),
      default_cancel_url varchar(2048), session_lifetime_minutes integer NOT NULL DEFAULT 60)`,
    `${table} api_keys (id ${autoId}, key_hash varchar(64) NOT NULL UNIQUE,
      company_id varchar(36), active boolean NOT NULL DEFAULT 1)`,
    `${table} articles (id ${autoId}, company_id varchar(36) NOT NULL,
      article_type_id integer NOT NULL, article_id integer NOT NULL, name varchar(200) NOT NULL,
      active boolean NOT NULL DEFAULT 1, UNIQUE (company_id, article_type_id, article_id))`,
    `${table} article_prices (id ${autoId}, article_ref integer NOT NULL,
      country_code varchar(2), currency varchar(3) NOT NULL, unit_amount integer NOT NULL,
      vat_basis_points integer NOT NULL DEFAULT 0, UNIQUE (article_ref, country_code))`,
    `${table} payables (id varchar(36) PRIMARY KEY, company_id varchar(36) NOT NULL,
      internal_reference_id varchar(100) NOT NULL, paid_checkout_id varchar(36), paid_at datetime(3),
      lock_token varchar(36), locked_until datetime(3), created_at datetime(3) NOT NULL,
      updated_at datetime(3) NOT NULL, UNIQUE (company_id, internal_reference_id))`,
    `${table} checkouts (id varchar(36) PRIMARY KEY, payable_id varchar(36) NOT NULL,
      company_id varchar(36) NOT NULL, state varchar(16) NOT NULL, payment_status varchar(32),
      ui_mode varchar(16) NOT NULL, stripe_session_id varchar(255) UNIQUE,
      stripe_account_id varchar(255) NOT NULL, customer_id varchar(255), customer_email varchar(320),
      payment_intent_id varchar(255), url varchar(2048), amount_total integer NOT NULL,
      currency varchar(3) NOT NULL, line_items text NOT NULL, stripe_request text,
      idempotency_key varchar(64) NOT NULL UNIQUE, invalidated_by varchar(36), expire_reason varchar(16),
      refund_required boolean NOT NULL DEFAULT 0, expires_at datetime(3) NOT NULL,
      created_at datetime(3) NOT NULL, updated_at datetime(3) NOT NULL)`,
    kind === 'sqlite'
      ? 'CREATE INDEX IF NOT EXISTS IX_checkouts_payable_state ON checkouts (payable_id, state, created_at)'
      : 'CREATE INDEX IX_checkouts_payable_state ON checkouts (payable_id, state, created_at)',
  ];
}

export const DEMO = {
  companyId: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
  account: 'acct_1DemoSalonSE0001',
  keyHash: createHash('sha256').update('demo-api-key', 'utf8').digest('hex'),
  /** [articleId, articleTypeId, name, unit amount, VAT basis points] */
  articles: /** @type {[number, number, string, number, number][]} */ ([
    [1, 1, 'Haircut 45 min', 45000, 2500],
    [2, 1, 'Beard trim', 20000, 2500],
    [1, 4, 'Gift card 500 SEK', 50000, 0],
  ]),
};
