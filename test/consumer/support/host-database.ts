import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';

export type HostDatabaseKind = 'sqlite' | 'mariadb';

export interface HostDatabase {
  /** As the host reads it: `sqlite:/path` or `mariadb://.../schema`. */
  url: string;
  query<T>(sql: string, parameters?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

const MYSQL_BASE = process.env.TEST_MYSQL_URL ?? 'mariadb://root@127.0.0.1:3306';
const serverUri = () => `${MYSQL_BASE.replace(/^mariadb:/, 'mysql:')}/`;

export async function mariaDbReachable(): Promise<boolean> {
  const { createConnection } = await import('mysql2/promise');
  try {
    await (await createConnection({ uri: serverUri(), connectTimeout: 3000 })).end();
    return true;
  } catch {
    return false;
  }
}

/** A fresh, empty database as a host has it: a temp file, or a schema with the server's defaults. */
export async function createHostDatabase(kind: HostDatabaseKind): Promise<HostDatabase> {
  const name = `consumer_${randomBytes(4).toString('hex')}`;
  if (kind === 'sqlite') {
    const path = join(tmpdir(), `${name}.sqlite`);
    return {
      url: `sqlite:${path}`,
      query: (sql, parameters) =>
        queryOnce({ type: 'better-sqlite3', database: path }, sql, parameters),
      async drop() {
        for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
      },
    };
  }
  await onServer(`CREATE DATABASE \`${name}\``);
  const url = `${MYSQL_BASE}/${name}`;
  return {
    url,
    query: (sql, parameters) => queryOnce({ type: 'mariadb', url }, sql, parameters),
    drop: () => onServer(`DROP DATABASE IF EXISTS \`${name}\``),
  };
}

async function queryOnce<T>(
  options: DataSourceOptions,
  sql: string,
  parameters?: unknown[],
): Promise<T[]> {
  const dataSource = await new DataSource(options).initialize();
  try {
    return (await dataSource.query(sql, parameters)) as T[];
  } finally {
    await dataSource.destroy();
  }
}

async function onServer(sql: string): Promise<void> {
  const { createConnection } = await import('mysql2/promise');
  const connection = await createConnection({ uri: serverUri() });
  try {
    await connection.query(sql);
  } finally {
    await connection.end();
  }
}
