import type { PaymentsModuleOptions } from '../payments.options.js';
import { DEFAULT_RETRY_SCHEDULE_MS } from './retry-schedule.js';

export interface DeliverySettings {
  retryScheduleMs: readonly number[];
  timeoutMs: number;
  pollIntervalMs: number;
  concurrency: number;
  claimMs: number;
  /** Plain-http endpoint URLs to localhost are refused in production. */
  production: boolean;
}

/** An endpoint that keeps failing this long is disabled. */
export const FAILING_DISABLE_MS = 5 * 24 * 3_600_000;

/** A rotated-out secret keeps signing this long. */
export const PREVIOUS_SECRET_MS = 24 * 3_600_000;

export function deliverySettings(options: PaymentsModuleOptions): DeliverySettings {
  const webhooks = options.webhooks ?? {};
  const timeoutMs = webhooks.timeoutMs ?? 15_000;
  const retryScheduleMs = webhooks.retryScheduleMs ?? DEFAULT_RETRY_SCHEDULE_MS;
  if (retryScheduleMs.length === 0) throw new Error('webhooks.retryScheduleMs: at least one delay');
  const claimMs = webhooks.claimMs ?? timeoutMs + 5_000;
  // Renewed every third of it (every 100 ms at least) while the delivery runs: a claim shorter
  // than three renewals could run out under a live holder.
  if (!Number.isInteger(claimMs) || claimMs < 300)
    throw new Error('webhooks.claimMs: an integer of at least 300 (ms)');
  return {
    retryScheduleMs,
    timeoutMs,
    pollIntervalMs: webhooks.pollIntervalMs ?? 1000,
    concurrency: Math.max(1, webhooks.concurrency ?? 10),
    claimMs,
    production: options.production ?? false,
  };
}
