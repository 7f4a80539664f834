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
 * @returns {Promise<{ rows: number, payables: number, seconds: number, settled: string }>}
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
    const seconds = (performance.now() - t0) / 1000;
    const settled = await writer.settle();
    return { rows: checkouts, payables, seconds, settled };
  } finally {
    await writer.close();
  }
}

/**
 * @typedef {object} Writer
 * @property {(batch: import('./history.mjs').PayableHistory[]) => Promise<void>} write
 * @property {() => Promise<string>} settle once every row is in: make the database ready to
 *   measure; says what it did
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
    settle: async () => {
      db.pragma('wal_checkpoint(TRUNCATE)');
      return 'write-ahead log checkpointed';
    },
    close: async () => db.close(),
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
    settle: async () => {
      await connection.query(`ANALYZE TABLE \`${prefix}payables\`, \`${prefix}checkouts\``);
      return waitForCleanBufferPool(connection);
    },
    close: () => connection.end(),
  };
}

const CLEAN_WAIT_MS = 180_000;

/**
 * InnoDB writes the seeded pages back for a minute or more after the commit; measured meanwhile,
 * both servers would compete with that I/O. Waits (at most 3 minutes) until at most 5 % of the
 * buffer pool is dirty, or until the count has stopped falling for 5 s (InnoDB keeps some pages
 * dirty when it is idle). It only watches: the server's settings are never changed.
 * @param {import('mysql2/promise').Connection} connection
 */
async function waitForCleanBufferPool(connection) {
  const t0 = performance.now();
  const status = async (/** @type {string} */ name) => {
    const [[{ Value }]] = /** @type {any} */ (
      await connection.query('SHOW GLOBAL STATUS LIKE ?', [name])
    );
    return Number(Value);
  };
  const cleanEnough = Math.max(100, (await status('Innodb_buffer_pool_pages_total')) * 0.05);
  const samples = [await status('Innodb_buffer_pool_pages_dirty')];
  const settled = () => {
    const pages = /** @type {number} */ (samples.at(-1));
    return pages <= cleanEnough || (samples.length > 5 && pages >= samples[samples.length - 6]);
  };
  while (!settled() && performance.now() - t0 < CLEAN_WAIT_MS) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    samples.push(await status('Innodb_buffer_pool_pages_dirty'));
  }
  const waited = ((performance.now() - t0) / 1000).toFixed(0);
  return `analysed; ${samples[0]} → ${samples.at(-1)} dirty InnoDB pages in ${waited} s`;
}
