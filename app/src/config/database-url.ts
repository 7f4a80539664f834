import { resolve } from 'node:path';

export type DatabaseTarget =
  | { kind: 'sqlite'; path: string }
  | {
      kind: 'mysql';
      url: string;
      database: string;
      /** The server's dialect when known: a `mariadb://` URL, or asked by `ensureDatabaseExists`. */
      dialect?: 'mysql' | 'mariadb';
    };

export class ConfigError extends Error {}

/** `sqlite:<path>` (relative, absolute or `:memory:`) or `mysql://user:pass@host:port/db`. */
export function parseDatabaseUrl(raw: string): DatabaseTarget {
  if (raw.startsWith('sqlite:')) {
    const path = raw.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!path)
      throw new ConfigError('DB_URL: sqlite needs a path, e.g. sqlite:./data/payments.sqlite');
    return { kind: 'sqlite', path: path === ':memory:' ? path : resolve(path) };
  }
  if (/^(mysql|mariadb):\/\//.test(raw)) {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ConfigError('DB_URL: not a valid mysql:// URL');
    }
    const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
    if (!url.hostname || !/^[A-Za-z0-9_$]{1,64}$/.test(database)) {
      throw new ConfigError(
        'DB_URL: mysql URL needs a host and a database name, e.g. mysql://root@127.0.0.1:3306/payments',
      );
    }
    const dialect = url.protocol === 'mariadb:' ? 'mariadb' : undefined;
    url.protocol = 'mysql:';
    return { kind: 'mysql', url: url.toString(), database, ...(dialect && { dialect }) };
  }
  throw new ConfigError(
    `DB_URL: unsupported scheme "${raw.split(':')[0]}" (use sqlite:<path> or mysql://user:pass@host:port/db)`,
  );
}
