// @ts-check
/* global setTimeout, URL */
// The load test's SQL: (re)creating the database, the company the demo data lacks, and reading
// back what the audits need from one database server (a standalone MariaDB or one Galera node).
import { createHash } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { COMPANIES } from './fixtures.mjs';

/** @typedef {import('mysql2/promise').Connection} Connection */

/**
 * @typedef {object} Database
 * @property {string} label host:port
 * @property {string} name the database
 * @property {Connection} sql
 * @property {boolean} galera wsrep on: reads wait for the node to apply what the cluster committed
 */

/**
 * @param {string} url mysql://user@host:port/database
 * @returns {Promise<Database>}
 */
export async function openDatabase(url) {
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  parsed.pathname = '/';
  const sql = await createConnection({ uri: parsed.toString(), connectTimeout: 5_000 });
  const [[{ wsrep }]] = /** @type {any} */ (
    await sql.query(`SELECT COALESCE(@@GLOBAL.wsrep_on, 0) AS wsrep`).catch(() => [[{ wsrep: 0 }]])
  );
  const galera = Number(wsrep) === 1;
  if (galera) await sql.query('SET SESSION wsrep_sync_wait = 1');
  return { label: `${parsed.hostname}:${parsed.port || 3306}`, name, sql, galera };
}

/** @param {Database} db */
export async function recreateDatabase(db) {
  if (!/load/.test(db.name))
    throw new Error(`refusing to drop "${db.name}": a load database's name contains "load"`);
  await db.sql.query(`DROP DATABASE IF EXISTS \`${db.name}\``);
  await db.sql.query(
    `CREATE DATABASE \`${db.name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
  );
}

/**
 * The third company: Stripe enabled, own account, own API key (sha256 hex), one article + price.
 * @param {Database} db
 */
export async function insertLoadCompany(db) {
  const c = COMPANIES[2];
  const t = `\`${db.name}\``;
  await db.sql.query(
    `INSERT INTO ${t}.payments_companies (id, name, stripe_checkout_enabled, stripe_account_id, default_currency,
       default_confirmation_url, default_cancel_url, redirect_host_allowlist, session_lifetime_minutes,
       created_at, updated_at)
     VALUES (?, 'Load Test Studio', 1, ?, 'DKK', NULL, NULL, NULL, 60, NOW(3), NOW(3))`,
    [c.id, c.account],
  );
  await db.sql.query(
    `INSERT INTO ${t}.payments_api_keys (key_hash, name, company_id, active, created_at) VALUES (?, 'Load test key', ?, 1, NOW(3))`,
    [createHash('sha256').update(c.apiKey, 'utf8').digest('hex'), c.id],
  );
  const [article] = /** @type {any} */ (
    await db.sql.query(
      `INSERT INTO ${t}.payments_articles (company_id, article_type_id, article_id, name, active) VALUES (?, 1, 1, 'Yoga class', 1)`,
      [c.id],
    )
  );
  await db.sql.query(
    `INSERT INTO ${t}.payments_article_prices (article_ref, country_code, currency, unit_amount, vat_basis_points)
     VALUES (?, NULL, 'DKK', 15000, 2500)`,
    [article.insertId],
  );
}

/**
 * @typedef {object} CheckoutRow
 * @property {string} id
 * @property {string} payable payableKey
 * @property {string} state
 * @property {string | null} paymentStatus
 * @property {string | null} sessionId
 * @property {string} account
 * @property {boolean} refundRequired
 * @property {string | null} invalidatedBy
 * @property {string} createdAt
 */

/**
 * @typedef {object} PayableRow
 * @property {string} id
 * @property {string} key payableKey
 * @property {string | null} paidCheckoutId
 * @property {string | null} paidAt
 * @property {string | null} lockToken
 * @property {string | null} lockedUntil
 */

/**
 * @typedef {object} ClientConnection
 * @property {number} id
 * @property {string} host client host:port
 * @property {string} command
 * @property {string | null} state
 * @property {number} time
 * @property {string | null} info
 */

/** @param {Database} db @returns {Promise<CheckoutRow[]>} */
export async function checkoutRows(db) {
  const t = `\`${db.name}\``;
  const [rows] = await db.sql.query(
    `SELECT CONCAT(p.company_id, '/', p.internal_reference_id) AS payable, c.id, c.state,
            c.payment_status AS paymentStatus, c.stripe_session_id AS sessionId,
            c.stripe_account_id AS account, c.refund_required AS refundRequired,
            c.invalidated_by AS invalidatedBy,
            DATE_FORMAT(c.created_at, '%Y-%m-%dT%H:%i:%s.%f') AS createdAt
       FROM ${t}.payments_checkouts c JOIN ${t}.payments_payables p ON p.id = c.payable_id
      ORDER BY c.created_at, c.id`,
  );
  return /** @type {any[]} */ (rows).map((row) => ({
    ...row,
    refundRequired: Boolean(row.refundRequired),
  }));
}

/** @param {Database} db @returns {Promise<PayableRow[]>} */
export async function payableRows(db) {
  const [rows] = await db.sql.query(
    `SELECT id, CONCAT(company_id, '/', internal_reference_id) AS \`key\`,
            paid_checkout_id AS paidCheckoutId, DATE_FORMAT(paid_at, '%Y-%m-%dT%H:%i:%s.%f') AS paidAt,
            lock_token AS lockToken, DATE_FORMAT(locked_until, '%Y-%m-%dT%H:%i:%s.%f') AS lockedUntil
       FROM \`${db.name}\`.payments_payables ORDER BY id`,
  );
  return /** @type {PayableRow[]} */ (rows);
}

/**
 * Client connections using the load database (this script's own and Galera's appliers excluded).
 * @param {Database} db @returns {Promise<ClientConnection[]>}
 */
export async function clientConnections(db) {
  const [rows] = await db.sql.query(
    `SELECT ID AS id, HOST AS host, COMMAND AS command, STATE AS state, TIME AS time, INFO AS info
       FROM information_schema.PROCESSLIST
      WHERE DB = ? AND ID <> CONNECTION_ID() AND USER <> 'system user'`,
    [db.name],
  );
  return /** @type {ClientConnection[]} */ (rows);
}

/**
 * InnoDB serves INNODB_TRX from a cache it refreshes only when nobody has read it for 100 ms, so
 * a read within 100 ms of the previous one may miss a transaction that began since: wait first.
 */
const TRX_CACHE_IDLE_MS = 120;
/** @type {WeakMap<Database, number>} */
const lastTrxRead = new WeakMap();

/** @param {Database} db @param {number[]} threadIds */
export async function openTransactions(db, threadIds) {
  if (!threadIds.length) return [];
  const wait = (lastTrxRead.get(db) ?? 0) + TRX_CACHE_IDLE_MS - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  const [rows] = await db.sql.query(
    `SELECT trx_id, trx_state, trx_started, trx_mysql_thread_id, trx_query
       FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id IN (?)`,
    [threadIds],
  );
  lastTrxRead.set(db, Date.now());
  return /** @type {Record<string, unknown>[]} */ (rows);
}

/** @param {Database} db */
export async function busyWork(db) {
  const t = `\`${db.name}\``;
  const [[row]] = /** @type {any} */ (
    await db.sql.query(
      `SELECT (SELECT COUNT(*) FROM ${t}.payments_payables WHERE lock_token IS NOT NULL) AS locked,
              (SELECT COUNT(*) FROM ${t}.payments_checkouts WHERE state = 'creating') AS creating`,
    )
  );
  return { locked: Number(row.locked), creating: Number(row.creating) };
}
