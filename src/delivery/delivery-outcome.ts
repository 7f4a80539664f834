import type { DeliveryState } from '../entities/index.js';
import { retryDelay } from './retry-schedule.js';

/** What one attempt came to. */
export interface AttemptResult {
  /** A 2xx answer, or a handler that returned. */
  delivered: boolean;
  /** The HTTP status; null without an answer (timeout, reset) and for handlers. */
  status: number | null;
  /** From the answer's `Retry-After`. */
  retryAfterMs?: number;
  error?: string;
}

export interface DeliveryDecision {
  state: DeliveryState;
  /** `pending`: the next attempt, in ms from now. */
  delayMs?: number;
  /** The endpoint said it is gone for good (410): disable it. */
  disableEndpoint?: boolean;
}

/**
 * A delivery's next state after an attempt: delivered on a 2xx; given up (`failed`) on a 410 or
 * once the schedule is spent; otherwise pending again after the schedule's next delay. Redirects
 * are failures like any other non-2xx: they are never followed.
 */
export function decide(
  result: AttemptResult,
  attemptsMade: number,
  schedule: readonly number[],
  random: () => number = Math.random,
): DeliveryDecision {
  if (result.delivered) return { state: 'delivered' };
  if (result.status === 410) return { state: 'failed', disableEndpoint: true };
  const delayMs = retryDelay(schedule, attemptsMade, result.retryAfterMs, random);
  return delayMs === undefined ? { state: 'failed' } : { state: 'pending', delayMs };
}
