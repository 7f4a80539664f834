import { QueryFailedError } from 'typeorm';

/** The insert hit a unique key or primary key, on MariaDB/MySQL or SQLite. */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string };
  return (
    driverError.code === 'ER_DUP_ENTRY' ||
    driverError.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    driverError.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}
