import type { PaymentsRetentionOptions } from '../payments.options.js';

export interface RetentionSettings {
  retentionDays: number;
  intervalMs: number;
  batchSize: number;
}

const DAY_MS = 86_400_000;

/** The module's retention options with their defaults, checked: a bad value fails at start-up. */
export function retentionSettings(options: PaymentsRetentionOptions = {}): RetentionSettings {
  const settings = {
    retentionDays: options.retentionDays ?? 90,
    intervalMs: options.intervalMs ?? 3_600_000,
    batchSize: options.batchSize ?? 500,
  };
  if (!Number.isInteger(settings.retentionDays) || settings.retentionDays < 1) {
    throw new Error('retention.retentionDays: expected a whole number of days, at least 1');
  }
  if (!Number.isInteger(settings.intervalMs) || settings.intervalMs < 0) {
    throw new Error(
      'retention.intervalMs: expected a whole number of milliseconds, 0 turns it off',
    );
  }
  if (
    !Number.isInteger(settings.batchSize) ||
    settings.batchSize < 1 ||
    settings.batchSize > 10_000
  ) {
    throw new Error('retention.batchSize: expected a whole number from 1 to 10000');
  }
  return settings;
}

/** Rows older than this go. */
export function retentionCutoff(now: Date, retentionDays: number): Date {
  return new Date(now.getTime() - retentionDays * DAY_MS);
}
