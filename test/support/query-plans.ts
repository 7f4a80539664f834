import type { DataSource, Logger as SqlLogger } from 'typeorm';

/** A statement the service sent, with the parameters of its first use. */
export interface RecordedStatement {
  sql: string;
  parameters: unknown[];
}

/**
 * Records each distinct SELECT, UPDATE and DELETE TypeORM sends while `recording` is on (the
 * migrations and the test's own seeding are not the service's queries).
 */
export class StatementRecorder implements SqlLogger {
  recording = false;
  private readonly seen = new Map<string, RecordedStatement>();

  reset(): void {
    this.seen.clear();
  }

  get statements(): RecordedStatement[] {
    return [...this.seen.values()];
  }

  logQuery(query: string, parameters?: unknown[]): void {
    if (!this.recording || !/^\s*(SELECT|UPDATE|DELETE)\b/i.test(query)) return;
    if (!this.seen.has(query)) this.seen.set(query, { sql: query, parameters: parameters ?? [] });
  }

  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

/** A row of SQLite's `EXPLAIN QUERY PLAN`. */
export interface SqlitePlanRow {
  detail: string;
}

/** A row of MariaDB's `EXPLAIN`. */
export interface MariaDbPlanRow {
  table: string | null;
  type: string | null;
  key?: string | null;
  rows?: number | string | null;
  Extra?: string | null;
}

/**
 * What makes a statement's cost grow with its table: a table read whole (`SCAN t` with no index;
 * `SCAN t USING INDEX` reads an index in order and stops at a LIMIT), or a sort into a
 * temporary B-tree.
 */
export function sqlitePlanProblems(plan: SqlitePlanRow[]): string[] {
  const problems: string[] = [];
  for (const { detail } of plan) {
    if (/^SCAN (?!CONSTANT ROW)/.test(detail) && !/ USING (COVERING )?INDEX /.test(detail)) {
      // A subquery's own result or a VALUES list is not a table of ours.
      if (!/^SCAN \(/.test(detail)) problems.push(`full scan: ${detail}`);
    }
    if (/USE TEMP B-TREE/.test(detail)) problems.push(`temporary B-tree: ${detail}`);
  }
  return problems;
}

/**
 * The same on MariaDB: a full table scan (`type: ALL`) of one of our tables, a filesort, or a
 * temporary table. Derived tables and subquery materializations (`<derived2>`) are not ours.
 */
export function mariaDbPlanProblems(plan: MariaDbPlanRow[]): string[] {
  const problems: string[] = [];
  for (const row of plan) {
    const table = row.table ?? '';
    const extra = row.Extra ?? '';
    if (row.type === 'ALL' && !table.startsWith('<')) {
      problems.push(`full scan of ${table} (${row.rows ?? '?'} rows)`);
    }
    if (/Using filesort/.test(extra)) problems.push(`filesort on ${table}: ${extra}`);
    if (/Using temporary/.test(extra)) problems.push(`temporary table on ${table}: ${extra}`);
  }
  return problems;
}

/** The plan of a statement as the database runs it, with its parameters. */
export async function planProblems(
  dataSource: DataSource,
  statement: RecordedStatement,
): Promise<string[]> {
  const sqlite = dataSource.options.type === 'better-sqlite3';
  const plan = (await dataSource.query(
    `${sqlite ? 'EXPLAIN QUERY PLAN' : 'EXPLAIN'} ${statement.sql}`,
    statement.parameters,
  )) as SqlitePlanRow[] & MariaDbPlanRow[];
  return sqlite ? sqlitePlanProblems(plan) : mariaDbPlanProblems(plan);
}

/** Refreshes the planner's statistics after seeding, as a live database has them. */
export async function analyze(dataSource: DataSource, tables: string[]): Promise<void> {
  if (dataSource.options.type === 'better-sqlite3') await dataSource.query('ANALYZE');
  else for (const table of tables) await dataSource.query(`ANALYZE TABLE \`${table}\``);
}
