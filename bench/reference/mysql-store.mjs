// @ts-check
// The reference's statements on MariaDB: a mysql2 pool of 10 connections and server-side
// prepared statements (`execute`); the lease and the write-ahead row of a new payable in one
// transaction, the open row and the release in another, as the service does.
import { createPool } from 'mysql2/promise';
import {
  COMPANY,
  DEMO_ARTICLE,
  DEMO_COMPANY,
  DEMO_KEY,
  DEMO_PRICE,
  FAIL_CHECKOUT,
  INSERT_CHECKOUT,
  INSERT_PAYABLE,
  LEASE_PAYABLE,
  OPEN_CHECKOUT,
  PRICES,
  RELEASE_PAYABLE,
} from './sqlite-store.mjs';
import { DEMO, schema } from './schema.mjs';

/** @param {string} url @returns {Promise<import('./store.mjs').Store>} */
export async function mysqlStore(url) {
  const pool = createPool({ uri: url, connectionLimit: 10, timezone: 'Z', dateStrings: true });
  for (const ddl of schema('mysql')) await pool.query(ddl).catch(ignoreExisting);
  await seedDemo(pool);
  const one = async (/** @type {string} */ sql, /** @type {any[]} */ args) =>
    /** @type {any[]} */ ((await pool.execute(sql, args))[0])[0];
  const run = async (/** @type {string} */ sql, /** @type {any[]} */ args) =>
    /** @type {any} */ ((await pool.execute(sql, args))[0]).affectedRows;
  const transaction = inTransaction(pool);
  return {
    apiKey: (hash) =>
      one('SELECT company_id FROM api_keys WHERE key_hash = ? AND active = 1', [hash]),
    company: (id) => one(COMPANY, [id]),
    prices: async (companyId, country) =>
      /** @type {any} */ ((await pool.execute(PRICES, [companyId, country]))[0]),
    createLeased: (payable, checkout) =>
      transaction(async (c) => {
        try {
          await c.execute(INSERT_PAYABLE, payable);
        } catch (error) {
          if (/** @type {any} */ (error).errno === 1062) return false;
          throw error;
        }
        await c.execute(INSERT_CHECKOUT, checkout);
        return true;
      }),
    async lease(args) {
      if ((await run(LEASE_PAYABLE, args)) === 0) return undefined;
      return (
        await one('SELECT id FROM payables WHERE company_id = ? AND internal_reference_id = ?', [
          args[3],
          args[4],
        ])
      )?.id;
    },
    insertCheckout: async (checkout) => void (await run(INSERT_CHECKOUT, checkout)),
    openAndRelease: (o) =>
      transaction(async (c) => {
        const [opened] = await c.execute(OPEN_CHECKOUT, [
          o.sessionId,
          o.paymentStatus,
          o.url,
          o.now,
          o.checkoutId,
        ]);
        await c.execute(RELEASE_PAYABLE, [o.payableId, o.token]);
        return /** @type {any} */ (opened).affectedRows === 1;
      }),
    fail: async (now, id) => void (await run(FAIL_CHECKOUT, [now, id])),
    release: async (payableId, token) => void (await run(RELEASE_PAYABLE, [payableId, token])),
    close: () => pool.end(),
  };
}

/**
 * Runs `work` on one pooled connection inside a transaction, rolled back when it throws.
 * @param {import('mysql2/promise').Pool} pool
 */
function inTransaction(pool) {
  /** @param {(c: import('mysql2/promise').PoolConnection) => Promise<boolean>} work */
  return async (work) => {
    const c = await pool.getConnection();
    try {
      await c.beginTransaction();
      const result = await work(c);
      await c.commit();
      return result;
    } catch (error) {
      await c.rollback();
      throw error;
    } finally {
      c.release();
    }
  };
}

/** A second CREATE INDEX of an existing index (a restarted reference) is fine. */
function ignoreExisting(/** @type {any} */ error) {
  if (error?.errno !== 1061) throw error;
}

/** @param {import('mysql2/promise').Pool} pool */
async function seedDemo(pool) {
  const [rows] = await pool.query('SELECT COUNT(*) AS n FROM companies');
  if (/** @type {any} */ (rows)[0].n > 0) return;
  await pool.execute(DEMO_COMPANY, [DEMO.companyId, DEMO.account]);
  await pool.execute(DEMO_KEY, [DEMO.keyHash, DEMO.companyId]);
  for (const [articleId, typeId, name, amount, vat] of DEMO.articles) {
    const [article] = await pool.execute(DEMO_ARTICLE, [DEMO.companyId, typeId, articleId, name]);
    await pool.execute(DEMO_PRICE, [/** @type {any} */ (article).insertId, amount, vat]);
  }
}
