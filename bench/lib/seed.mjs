// @ts-check
/* global performance, setTimeout */
// `--rows N`: writes N historical checkouts (bench/lib/history.mjs) straight into a database the
// service (or the reference) has created, in large transactions: a million rows in a few minutes.
import { CHECKOUT_COLUMNS, histories, PAYABLE_COLUMNS } from './history.mjs';

const BATCH_PAYABLES = 2_000;

/**
 * @typedef {object} SeedTarget
 * @property {string} dbUrl sqlite:<file> or mysql://…/<database>
 * @property {string} prefix the table prefix ('payments_' for the service)
 * @property {string} companyId
 */

/**
 * @param {SeedTarget} target
 * @param {number} rows
 * @returns {Promise<{ rows: number, payables: number, seconds: number }>}
 */
export async function seedHistory(target, rows) {
  const t0 = performance.now();
  const writer = target.dbUrl.startsWith('sqlite:')
    ? await sqliteWriter(target.dbUrl.slice('sqlite:'.length), target.prefix)
    : await mysqlWriter(target.dbUrl, target.prefix);
  let payables = 0;
  let checkouts = 0;
  /** @type {import('./history.mjs').PayableHistory[]} */
  let batch = [];
  try {
    for (const history of histories(target.companyId, rows)) {
      batch.push(history);
      payables++;
      checkouts += history.checkouts.length;
      if (batch.length === BATCH_PAYABLES) {
        await writer.write(batch);
        batch = [];
      }
    }
    if (batch.length) await writer.write(batch);
  } finally {
    await writer.close();
  }
  return { rows: checkouts, payables, seconds: (performance.now() - t0) / 1000 };
}

/**
 * @typedef {object} Writer
 * @property {(batch: import('./history.mjs').PayableHistory[]) => Promise<void>} write
 * @property {() => Promise<void>} close
 */

/** @param {string} file @param {string} prefix @returns {Promise<Writer>} */
async function sqliteWriter(file, prefix) {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(file, { timeout: 10_000 });
  const insert = (/** @type {string} */ table, /** @type {string[]} */ columns) =>
    db.prepare(
      `INSERT INTO "${prefix}${table}" (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    );
  const payable = insert('payables', PAYABLE_COLUMNS);
  const checkout = insert('checkouts', CHECKOUT_COLUMNS);
  const writeAll = db.transaction(
    (/** @type {import('./history.mjs').PayableHistory[]} */ batch) => {
      for (const h of batch) {
        payable.run(h.payable);
        for (const row of h.checkouts) checkout.run(row);
      }
    },
  );
  return {
    write: async (batch) => writeAll(batch),
    close: async () => {
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
  };
}

/** @param {string} url @param {string} prefix @returns {Promise<Writer>} */
async function mysqlWriter(url, prefix) {
  const { createConnection } = await import('mysql2/promise');
  const connection = await createConnection({ uri: url });
  const insert = async (
    /** @type {string} */ table,
    /** @type {string[]} */ columns,
    /** @type {unknown[][]} */ rows,
  ) => {
    for (let i = 0; i < rows.length; i += 1000) {
      await connection.query(`INSERT INTO \`${prefix}${table}\` (${columns.join(', ')}) VALUES ?`, [
        rows.slice(i, i + 1000),
      ]);
    }
  };
  return {
    async write(batch) {
      await connection.beginTransaction();
      await insert(
        'payables',
        PAYABLE_COLUMNS,
        batch.map((h) => h.payable),
      );
      await insert(
        'checkouts',
        CHECKOUT_COLUMNS,
        batch.flatMap((h) => h.checkouts),
      );
      await connection.commit();
    },
    close: async () => {
      try {
        await connection.query(`ANALYZE TABLE \`${prefix}payables\`, \`${prefix}checkouts\``);
        await flushDirtyPages(connection);
      } finally {
        await connection.end();
      }
    },
  };
}

const FLUSH_WAIT_MS = 300_000;

/**
 * InnoDB writes the seeded pages back for minutes after the commit; measured meanwhile, both
 * servers would be competing with that I/O. Asks it to flush everything now and waits (at most
 * 5 minutes) until the buffer pool is clean.
 * @param {import('mysql2/promise').Connection} connection
 */
async function flushDirtyPages(connection) {
  const [[{ pct }]] = /** @type {any} */ (
    await connection.query('SELECT @@GLOBAL.innodb_max_dirty_pages_pct AS pct')
  );
  await connection.query('SET GLOBAL innodb_max_dirty_pages_pct = 0');
  try {
    const deadline = Date.now() + FLUSH_WAIT_MS;
    while (Date.now() < deadline) {
      const [[{ Value }]] = /** @type {any} */ (
        await connection.query("SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'")
      );
      if (Number(Value) < 100) return;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  } finally {
    await connection.query('SET GLOBAL innodb_max_dirty_pages_pct = ?', [pct]);
  }
}
