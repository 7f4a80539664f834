// @ts-check
/* global URL */
// The databases of a run, fresh each time: SQLite files in a temporary directory, or on MariaDB
// two databases (the service's and the reference's) whose names must contain "bench".
import { join } from 'node:path';

/**
 * @typedef {object} BenchDatabases
 * @property {'sqlite' | 'mysql'} kind
 * @property {string} label e.g. "SQLite" or "MariaDB 11.4.2"
 * @property {string} serviceUrl
 * @property {string} referenceUrl
 */

/**
 * @param {import('./options.mjs').BenchOptions} options
 * @param {string} tempDir for the SQLite files
 * @returns {Promise<BenchDatabases>}
 */
export async function prepareDatabases(options, tempDir) {
  if (options.db === 'sqlite') {
    return {
      kind: 'sqlite',
      label: 'SQLite',
      serviceUrl: `sqlite:${join(tempDir, 'service.sqlite')}`,
      referenceUrl: `sqlite:${join(tempDir, 'reference.sqlite')}`,
    };
  }
  const url = new URL(/** @type {string} */ (options.mysqlUrl));
  const name = url.pathname.replace(/^\//, '');
  if (!/^\w*bench\w*$/.test(name))
    throw new Error(`--db: refusing to drop "${name}": the database name must contain "bench"`);
  const referenceUrl = new URL(url);
  referenceUrl.pathname = `/${name}_reference`;
  const version = await recreate(url, [name, `${name}_reference`]);
  return {
    kind: 'mysql',
    label: `MariaDB ${version}`,
    serviceUrl: url.toString(),
    referenceUrl: referenceUrl.toString(),
  };
}

/**
 * Drops and creates the databases; answers the server's version.
 * @param {URL} url
 * @param {string[]} names
 */
async function recreate(url, names) {
  const { createConnection } = await import('mysql2/promise');
  const server = new URL(url);
  server.pathname = '/';
  const connection = await createConnection({ uri: server.toString(), connectTimeout: 5000 });
  try {
    for (const name of names) {
      await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await connection.query(
        `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
      );
    }
    const [rows] = await connection.query('SELECT VERSION() AS version');
    return /** @type {any} */ (rows)[0].version;
  } finally {
    await connection.end();
  }
}
