import type { Logger } from 'typeorm';

/**
 * Counts the SQL statements TypeORM sends (the benchmark's "SQL per checkout"). Attached only
 * when SQL_STATS=1; it replaces TypeORM's logger, which logs nothing in this service anyway.
 */
export interface SqlStats {
  sqlStatements: number;
  sqlErrors: number;
  /** statements by their first keyword: SELECT, INSERT, UPDATE, DELETE, BEGIN, COMMIT, ... */
  byKind: Record<string, number>;
  /** statements by their text (parameters are placeholders), at most 200 distinct texts */
  byStatement: Record<string, number>;
}

const stats: SqlStats = {
  sqlStatements: 0,
  sqlErrors: 0,
  byKind: Object.create(null) as Record<string, number>,
  byStatement: Object.create(null) as Record<string, number>,
};
const MAX_DISTINCT = 200;

export function sqlStatsEnabled(env: Record<string, string | undefined> = process.env): boolean {
  return env.SQL_STATS === '1';
}

export function sqlStatsSnapshot(): SqlStats {
  return { ...stats, byKind: { ...stats.byKind }, byStatement: { ...stats.byStatement } };
}

export class QueryCountingLogger implements Logger {
  logQuery(query: string): void {
    stats.sqlStatements++;
    const kind = /^\s*(\w+)/.exec(query)?.[1]?.toUpperCase() ?? 'OTHER';
    stats.byKind[kind] = (stats.byKind[kind] ?? 0) + 1;
    const text = query.length > 300 ? `${query.slice(0, 300)}...` : query;
    if (text in stats.byStatement) stats.byStatement[text]++;
    else if (Object.keys(stats.byStatement).length < MAX_DISTINCT) stats.byStatement[text] = 1;
  }

  logQueryError(): void {
    stats.sqlErrors++;
  }

  logQuerySlow(): void {}

  logSchemaBuild(): void {}

  logMigration(): void {}

  log(): void {}
}
