import {
  idempotencyEndpointMismatch,
  idempotencyInFlight,
  idempotencyMismatch,
  invalidRequest,
} from './stripe-errors.js';

export interface StoredResponse {
  status: number;
  body: string;
  requestId: string;
}

interface Entry {
  endpoint: string;
  fingerprint: string;
  response: StoredResponse;
  storedAtMs: number;
}

const KEY_TTL_MS = 24 * 60 * 60 * 1000;
const MAX_KEY_LENGTH = 255;

/** Stripe's idempotency: keys are scoped per account, replayed for 24 h, conflicts rejected. */
export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Set<string>();

  static scope(account: string | null, key: string): string {
    return `${account ?? ''}\u0000${key}`;
  }

  static checkKey(key: string): void {
    if (key.length > MAX_KEY_LENGTH) {
      throw invalidRequest(
        `Invalid Idempotency-Key: must be at most ${MAX_KEY_LENGTH} characters`,
        'Idempotency-Key',
      );
    }
  }

  /**
   * Returns the stored response to replay, or undefined when the caller should execute
   * the request (the key is then marked in flight until `finish`).
   */
  begin(
    scoped: string,
    key: string,
    endpoint: string,
    fingerprint: string,
  ): StoredResponse | undefined {
    if (this.inFlight.has(scoped)) throw idempotencyInFlight(key);
    const entry = this.entries.get(scoped);
    if (entry) {
      if (entry.endpoint !== endpoint)
        throw idempotencyEndpointMismatch(key, entry.endpoint, endpoint);
      if (entry.fingerprint !== fingerprint) throw idempotencyMismatch(key);
      return entry.response;
    }
    this.inFlight.add(scoped);
    return undefined;
  }

  /** Only requests that executed successfully are replayable; validation failures are not saved. */
  finish(
    scoped: string,
    endpoint: string,
    fingerprint: string,
    response: StoredResponse | null,
    nowMs: number,
  ): void {
    this.inFlight.delete(scoped);
    if (response && response.status < 400) {
      this.entries.set(scoped, { endpoint, fingerprint, response, storedAtMs: nowMs });
    }
  }

  prune(nowMs: number): void {
    for (const [scoped, entry] of this.entries) {
      if (nowMs - entry.storedAtMs < KEY_TTL_MS) break;
      this.entries.delete(scoped);
    }
  }

  clear(): void {
    this.entries.clear();
    this.inFlight.clear();
  }
}
