import type { AttemptResult } from './delivery-outcome.js';
import { parseRetryAfter } from './retry-schedule.js';

/** What the attempts log keeps of an answer. */
export const ANSWER_BYTES = 1024;

export interface HttpAttempt extends AttemptResult {
  latencyMs: number;
  /** The first 1 KB of the answer, as text. */
  answer: string | null;
}

/**
 * One POST of a signed event: a 2xx is delivered; a redirect is not followed (a failure like any
 * other non-2xx); no answer within `timeoutMs` (headers and the first 1 KB) is a failure too.
 */
export async function postEvent(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  stop: AbortSignal,
): Promise<HttpAttempt> {
  const started = Date.now();
  const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), stop]);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      redirect: 'manual',
      signal,
    });
    const answer = await firstBytes(response);
    return {
      delivered: response.status >= 200 && response.status < 300,
      status: response.status,
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), Date.now()),
      latencyMs: Date.now() - started,
      answer,
    };
  } catch (error) {
    return {
      delivered: false,
      status: null,
      error: failureText(error, signal),
      latencyMs: Date.now() - started,
      answer: null,
    };
  }
}

async function firstBytes(response: Response): Promise<string | null> {
  if (!response.body) return null;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < ANSWER_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const bytes = Buffer.concat(chunks).subarray(0, ANSWER_BYTES);
  // A multi-byte character cut at the 1 KB mark is dropped, not kept as a replacement character.
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes).replace(/\uFFFD$/, '');
}

function failureText(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) return 'timed out';
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const text = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : 'failed');
  return String(text).slice(0, 500);
}
