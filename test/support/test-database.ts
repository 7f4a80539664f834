import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { parseDatabaseUrl } from '../../app/src/config/database-url.js';
import { ensureDatabaseExists, typeOrmOptions } from '../../app/src/database/typeorm-options.js';

export type TestDatabaseKind = 'sqlite' | 'mysql';

/** Which database the suite runs on: scripts/test.mjs runs every suite once per kind. */
export const TEST_DB: TestDatabaseKind = process.env.TEST_DB === 'mysql' ? 'mysql' : 'sqlite';
const MYSQL_BASE = process.env.TEST_MYSQL_URL ?? 'mariadb://root@127.0.0.1:3306';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database of the suite's kind (a temp file, or a new MariaDB schema). `legacy`:
 * a MariaDB schema as the service created them before identifiers became byte-exact
 * (`utf8mb4_unicode_ci`), to prove what the migrations do to an existing deployment.
 */
export async function createTestDatabase(
  options: { legacy?: boolean } = {},
): Promise<TestDatabase> {
  const name = `pt_${process.env.JEST_WORKER_ID ?? 0}_${randomBytes(4).toString('hex')}`;
  if (TEST_DB === 'sqlite') {
    const path = join(tmpdir(), `${name}.sqlite`);
    return {
      url: `sqlite:${path}`,
      async drop() {
        for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
      },
    };
  }
  const url = `${MYSQL_BASE}/${name}`;
  if (options.legacy) await createLegacyDatabase(name);
  else await ensureDatabaseExists(parseDatabaseUrl(url));
  return {
    url,
    async drop() {
      const { createConnection } = await import('mysql2/promise');
      const connection = await createConnection({
        uri: `${MYSQL_BASE.replace(/^mariadb:/, 'mysql:')}/`,
      });
      await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await connection.end();
    },
  };
}

async function createLegacyDatabase(name: string): Promise<void> {
  const { createConnection } = await import('mysql2/promise');
  const connection = await createConnection({ uri: `${MYSQL_BASE}/` });
  await connection.query(
    `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
  );
  await connection.end();
}

/** A DataSource on the test database with the module's migrations run. */
export async function migratedDataSource(url: string): Promise<DataSource> {
  const dataSource = new DataSource(typeOrmOptions(parseDatabaseUrl(url)));
  await dataSource.initialize();
  await dataSource.runMigrations();
  return dataSource;
}
