import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { DatabaseTarget } from '../config/database-url.js';
import { PAYMENTS_ENTITIES } from 'bokamera-payments';
import { PAYMENTS_MIGRATIONS } from 'bokamera-payments';
import { QueryCountingLogger, sqlStatsEnabled } from './query-counter.js';

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
    };
  }
  return {
    ...common,
    type: target.flavor,
    url: target.url,
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    poolSize: 10,
    extra: { connectTimeout: 5000, enableKeepAlive: true },
  };
}

/** MariaDB answers "Unknown database" until it exists; the service creates its own. */
export async function ensureDatabaseExists(target: DatabaseTarget): Promise<void> {
  if (target.kind !== 'mysql') return;
  const { createConnection } = await import('mysql2/promise');
  const url = new URL(target.url);
  url.pathname = '/';
  const connection = await createConnection({ uri: url.toString(), connectTimeout: 5000 });
  try {
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${target.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await connection.end();
  }
}
