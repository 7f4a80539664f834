import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RowDataPacket } from 'mysql2/promise';
import type { DataSourceOptions } from 'typeorm';
import type { DatabaseTarget } from '../config/database-url.js';
import { PAYMENTS_ENTITIES } from 'bokamera-payments';
import { NO_PAD_BINARY_COLLATIONS, PAYMENTS_MIGRATIONS } from 'bokamera-payments';
import { QueryCountingLogger, sqlStatsEnabled } from './query-counter.js';

/**
 * SQLite's page cache, in KiB. Its default is 2 MB: past a few hundred thousand checkouts the index
 * pages an insert touches no longer fit, and every insert reads pages from disk (a write-ahead
 * insert went from 16 to 135 µs at a million rows). 32 MB keeps the hot index pages in memory.
 */
export const SQLITE_CACHE_KIB = 32_768;

/** The standalone service's connection; a host app builds its own and adds our entities and migrations. */
export function typeOrmOptions(target: DatabaseTarget): DataSourceOptions {
  const common = {
    entities: PAYMENTS_ENTITIES,
    migrations: PAYMENTS_MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    // SQL_STATS=1 (the benchmark): count every statement; no logger is attached otherwise.
    ...(sqlStatsEnabled() && { logger: new QueryCountingLogger() }),
  } as const;
  if (target.kind === 'sqlite') {
    if (target.path !== ':memory:') mkdirSync(dirname(target.path), { recursive: true });
    return {
      ...common,
      type: 'better-sqlite3',
      database: target.path,
      enableWAL: target.path !== ':memory:',
      // Several instances may share one file: wait for the writer instead of failing at once.
      timeout: 5000,
      // The page cache lasts for its connection only: set on every connection TypeORM opens.
      prepareDatabase: (db: { pragma(statement: string): unknown }) => {
        db.pragma(`cache_size = -${SQLITE_CACHE_KIB}`);
      },
    };
  }
  return {
    ...common,
    // TypeORM reads MariaDB's schema right only as 'mariadb' (else it takes every nullable column
    // for changed). Known when the URL says mariadb:// or `ensureDatabaseExists` asked the server.
    type: target.dialect ?? 'mysql',
    url: target.url,
    timezone: 'Z',
    // The connection's collation decides only where no column does; the columns are binary
    // (migration 1764100000000), and so is this, so no comparison ever folds case.
    charset: 'utf8mb4_bin',
    poolSize: 10,
    extra: { connectTimeout: 5000, enableKeepAlive: true },
  };
}

/**
 * MariaDB answers "Unknown database" until it exists; the service creates its own, with a binary
 * NO PAD collation so identifiers compare as bytes from the first table on. Returns the target
 * with the server's dialect.
 */
export async function ensureDatabaseExists(target: DatabaseTarget): Promise<DatabaseTarget> {
  if (target.kind !== 'mysql') return target;
  const { createConnection } = await import('mysql2/promise');
  const url = new URL(target.url);
  url.pathname = '/';
  const connection = await createConnection({ uri: url.toString(), connectTimeout: 5000 });
  try {
    const [versions] = await connection.query<RowDataPacket[]>('SELECT VERSION() AS version');
    const [collations] = await connection.query<RowDataPacket[]>(
      'SELECT COLLATION_NAME AS name FROM information_schema.COLLATIONS WHERE COLLATION_NAME IN (?)',
      [NO_PAD_BINARY_COLLATIONS],
    );
    const available = new Set(collations.map((row) => String(row.name)));
    // Without one (a server too old for the module's migrations), the best there is.
    const collation = NO_PAD_BINARY_COLLATIONS.find((name) => available.has(name)) ?? 'utf8mb4_bin';
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${target.database}\` CHARACTER SET utf8mb4 COLLATE ${collation}`,
    );
    const dialect = /mariadb/i.test(String(versions[0]?.version)) ? 'mariadb' : 'mysql';
    return { ...target, dialect };
  } finally {
    await connection.end();
  }
}

/**
 * The TypeORM CLI's options (`npm run migration:generate` and friends): the database exists and
 * the server's dialect is known, so `migration:generate` compares the entities with what is there.
 */
export async function schemaToolOptions(target: DatabaseTarget): Promise<DataSourceOptions> {
  return typeOrmOptions(await ensureDatabaseExists(target));
}
