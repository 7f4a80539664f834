import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  QueryFailedError,
  type DataSource,
  type EntityManager,
  type EntityTarget,
  type ObjectLiteral,
} from 'typeorm';
import { retryOnTransientDbError } from '../common/transient-db-error.js';

export type DbKind = 'mysql' | 'sqlite';

/** Retries of a statement or transaction after a deadlock, a lock wait or a Galera certification conflict. */
const TRANSIENT_ATTEMPTS = 6;

export interface SqlResult<Row> {
  rows: Row[];
  affected: number;
}

/** What `sql()` uses of a better-sqlite3 prepared statement. */
interface SqliteStatement {
  readonly reader: boolean;
  all(...parameters: unknown[]): unknown[];
  run(...parameters: unknown[]): { changes: number };
}
interface SqliteConnection {
  prepare(query: string): SqliteStatement;
}
/** What `preparedSql()` uses of a mysql2 connection (TypeORM's query runner holds one). */
interface MysqlConnection {
  execute(
    query: string,
    parameters: unknown[],
    callback: (error: Error | null, result: unknown) => void,
  ): void;
}

/** Distinct statement texts kept prepared; the module has a few dozen. */
const MAX_PREPARED = 500;

/**
 * The module's one door to its database. It exists for three reasons:
 * - TypeORM runs every query of a SQLite DataSource on one shared connection, so two concurrent
 *   transactions would nest as savepoints of one and an autocommit statement would land inside
 *   someone else's transaction. On SQLite every unit of work here therefore runs alone.
 * - Every write is retried, bounded, when the database rolled it back (deadlock 1213, lock wait
 *   1205, Galera certification conflicts which arrive as 1213, SQLite's busy).
 * - Time that decides between instances (leases) is the database's clock, not an instance's.
 */
@Injectable()
export class PaymentsDb {
  readonly kind: DbKind;
  private readonly exclusive: Exclusive | undefined;
  private readonly prepared = new Map<string, SqliteStatement>();
  private preparedOn: SqliteConnection | undefined;

  constructor(@InjectDataSource() readonly dataSource: DataSource) {
    this.kind =
      dataSource.options.type === 'mysql' || dataSource.options.type === 'mariadb'
        ? 'mysql'
        : 'sqlite';
    this.exclusive = this.kind === 'sqlite' ? new Exclusive() : undefined;
  }

  /** Reads, or autocommit statements that are safe to run again; retried on transient errors. */
  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.alone(() =>
      retryOnTransientDbError(() => work(this.dataSource.manager), {
        attempts: TRANSIENT_ATTEMPTS,
      }),
    );
  }

  /** One transaction, run again as a whole when the database rolled it back. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.alone(() =>
      retryOnTransientDbError(() => this.dataSource.transaction(work), {
        attempts: TRANSIENT_ATTEMPTS,
      }),
    );
  }

  /** A raw statement with `?` placeholders; `affected` counts matched rows on both databases. */
  async sql<Row = Record<string, unknown>>(
    manager: EntityManager,
    query: string,
    parameters: unknown[] = [],
  ): Promise<SqlResult<Row>> {
    if (this.dataSource.options.type === 'better-sqlite3')
      return this.sqliteStatement<Row>(query, parameters.map(bindable));
    const runner = manager.queryRunner ?? this.dataSource.createQueryRunner();
    try {
      const result = (await runner.query(query, parameters.map(bindable), true)) as {
        records?: Row[];
        affected?: number;
      };
      return { rows: result.records ?? [], affected: result.affected ?? 0 };
    } finally {
      if (!manager.queryRunner) await runner.release();
    }
  }

  /**
   * `sql()` for the few statements of the hot paths (the create's inserts and updates): on MariaDB
   * a server-side prepared statement (mysql2 `execute`, cached per connection) on the query
   * runner's connection, instead of a text query escaped by the client and parsed by the server
   * every time. On SQLite every statement is prepared already. Parameters must be strings, numbers
   * or null after `bindable` (never a LIMIT, which a prepared statement cannot take as a double).
   */
  async preparedSql<Row = Record<string, unknown>>(
    manager: EntityManager,
    query: string,
    parameters: unknown[],
  ): Promise<SqlResult<Row>> {
    if (this.kind !== 'mysql' || !manager.queryRunner)
      return this.sql<Row>(manager, query, parameters);
    const bound = parameters.map(bindable);
    const runner = manager.queryRunner as unknown as { connect(): Promise<MysqlConnection> };
    const connection = await runner.connect();
    const logger = this.dataSource.logger;
    logger.logQuery(query, bound);
    try {
      // The callback form: mysql2's promise wrapper captures a stack trace on every call.
      const raw = await new Promise<unknown>((resolve, reject) =>
        connection.execute(query, bound, (error, result) =>
          error ? reject(error) : resolve(result),
        ),
      );
      if (Array.isArray(raw)) return { rows: raw as Row[], affected: 0 };
      return { rows: [], affected: (raw as { affectedRows?: number }).affectedRows ?? 0 };
    } catch (error) {
      logger.logQueryError(error as Error, query, bound);
      throw new QueryFailedError(query, bound, error as Error);
    }
  }

  /**
   * SQLite: the statement prepared once and run on the driver's one connection, without a query
   * runner per statement. Every unit of work runs alone there (`Exclusive`), so the statement
   * lands in the transaction of the unit that runs it, exactly as through its query runner. Logged
   * and wrapped in `QueryFailedError` as TypeORM does, so counters and error checks see no change.
   */
  private sqliteStatement<Row>(query: string, parameters: unknown[]): SqlResult<Row> {
    const logger = this.dataSource.logger;
    logger.logQuery(query, parameters);
    try {
      const statement = this.preparedStatement(query);
      if (statement.reader) return { rows: statement.all(...parameters) as Row[], affected: 0 };
      return { rows: [], affected: statement.run(...parameters).changes };
    } catch (error) {
      logger.logQueryError(error as Error, query, parameters);
      throw new QueryFailedError(query, parameters, error as Error);
    }
  }

  private preparedStatement(query: string): SqliteStatement {
    const driver = this.dataSource.driver as unknown as { databaseConnection: SqliteConnection };
    const connection = driver.databaseConnection;
    // A DataSource initialized again has a new connection: the old statements are dead.
    if (connection !== this.preparedOn) {
      this.prepared.clear();
      this.preparedOn = connection;
    }
    let statement = this.prepared.get(query);
    if (!statement) {
      statement = connection.prepare(query);
      if (this.prepared.size < MAX_PREPARED) this.prepared.set(query, statement);
    }
    return statement;
  }

  /** The table of an entity as the host's DataSource names it (prefix included), quoted. */
  table(entity: EntityTarget<ObjectLiteral>): string {
    return this.dataSource.driver.escape(this.dataSource.getMetadata(entity).tableName);
  }

  /** The database's current time, as an SQL expression comparable with our datetime columns. */
  now(): string {
    return this.kind === 'mysql' ? 'UTC_TIMESTAMP(3)' : "strftime('%Y-%m-%d %H:%M:%f', 'now')";
  }

  /** The database's current time plus `ms`, as an SQL expression. */
  nowPlus(ms: number): string {
    const whole = Math.max(0, Math.round(ms));
    return this.kind === 'mysql'
      ? `TIMESTAMPADD(MICROSECOND, ${whole * 1000}, UTC_TIMESTAMP(3))`
      : `strftime('%Y-%m-%d %H:%M:%f', 'now', '+${(whole / 1000).toFixed(3)} seconds')`;
  }

  /** The database's current time minus `ms`, as an SQL expression. */
  nowMinus(ms: number): string {
    const whole = Math.max(0, Math.round(ms));
    return this.kind === 'mysql'
      ? `TIMESTAMPADD(MICROSECOND, ${-whole * 1000}, UTC_TIMESTAMP(3))`
      : `strftime('%Y-%m-%d %H:%M:%f', 'now', '-${(whole / 1000).toFixed(3)} seconds')`;
  }

  /**
   * Appended to a SELECT inside a transaction: on MariaDB it reads the latest committed row (not
   * the transaction's snapshot) and locks it. SQLite needs none: its writer is alone.
   */
  forUpdate(): string {
    return this.kind === 'mysql' ? ' FOR UPDATE' : '';
  }

  private alone<T>(work: () => Promise<T>): Promise<T> {
    return this.exclusive ? this.exclusive.run(work) : work();
  }
}

/** Dates as UTC `YYYY-MM-DD HH:MM:SS.mmm`, the form TypeORM stores on both databases. */
export function sqlDateTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

function bindable(value: unknown): unknown {
  if (value instanceof Date) return sqlDateTime(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value ?? null;
}

/** One unit of work at a time; a unit that calls back into the database runs inside its own turn. */
class Exclusive {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly inside = new AsyncLocalStorage<true>();

  run<T>(work: () => Promise<T>): Promise<T> {
    if (this.inside.getStore()) return work();
    const turn = this.tail.then(() => this.inside.run(true, work));
    this.tail = turn.catch(() => undefined);
    return turn;
  }
}
