import { setTimeout as sleep } from 'node:timers/promises';
import { QueryFailedError } from 'typeorm';

/** Errors after which the whole transaction can simply run again: it was rolled back. */
const TRANSIENT_CODES = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);

/** The database cannot be reached or dropped the connection: the caller should try again later. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_QUIT',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
]);

interface DriverError {
  code?: unknown;
}

function driverError(error: unknown): DriverError | undefined {
  if (error instanceof QueryFailedError) return error.driverError as DriverError;
  if (error !== null && typeof error === 'object') return error as DriverError;
  return undefined;
}

export function isTransientDbError(error: unknown): boolean {
  const driver = driverError(error);
  if (!driver) return false;
  if (typeof driver.code !== 'string') return false;
  return TRANSIENT_CODES.has(driver.code) || driver.code.startsWith('SQLITE_BUSY');
}

/** Connection-level failures, and transient conflicts that outlived their retries. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const driver = driverError(error);
  if (typeof driver?.code === 'string' && UNAVAILABLE_CODES.has(driver.code)) return true;
  return isTransientDbError(error);
}

export interface RetryOptions {
  /** Total runs including the first; default 3. */
  attempts?: number;
  /** Awaited before each retry, e.g. for a log line. */
  onRetry?: (error: unknown, attempt: number) => void | Promise<void>;
}

/**
 * Runs `fn` again when the database reports a deadlock, a lock wait timeout or SQLite's busy:
 * the database rolled the transaction back, so a fresh run is safe. `fn` must be a whole
 * transaction (or a single statement), never a part of one.
 */
export async function retryOnTransientDbError<T>(
  fn: () => Promise<T>,
  { attempts = 3, onRetry }: RetryOptions = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= attempts || !isTransientDbError(error)) throw error;
      await onRetry?.(error, attempt);
      // Jittered, so two transactions that deadlocked do not collide again in lockstep.
      await sleep(20 * attempt * (0.5 + Math.random()));
    }
  }
}
