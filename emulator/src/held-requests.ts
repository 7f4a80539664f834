import type { HeldRequest, HoldStage, RecordedRequest } from './types.js';

const DEFAULT_WAIT_MS = 5000;

export type HoldDecision = 'release' | 'drop';

interface Waiter {
  resolve(held: HeldRequest): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

interface Entry {
  held: HeldRequest;
  decide(decision: HoldDecision): void;
}

/**
 * Requests parked by 'hold' faults until the test releases or drops them, so a test can act
 * (kill the client, say) at an exact point of a request's life.
 */
export class HeldRequests {
  private readonly holding = new Map<string, Entry>();
  /** held but not yet handed to a waitForHeld caller, oldest first */
  private readonly unclaimed: HeldRequest[] = [];
  private readonly waiters: Waiter[] = [];

  /** Parks the request; resolves once the test calls release() or drop() (or on close). */
  hold(record: RecordedRequest, stage: HoldStage): Promise<HoldDecision> {
    return new Promise((resolve) => {
      const decide = (decision: HoldDecision): void => {
        if (!this.holding.delete(record.requestId)) return;
        const index = this.unclaimed.indexOf(held);
        if (index !== -1) this.unclaimed.splice(index, 1);
        resolve(decision);
      };
      const held: HeldRequest = {
        id: record.requestId,
        method: record.method,
        path: record.path,
        stage,
        account: record.account,
        idempotencyKey: record.idempotencyKey,
        params: record.params,
        release: () => decide('release'),
        drop: () => decide('drop'),
      };
      this.holding.set(held.id, { held, decide });
      const waiter = this.waiters.shift();
      if (waiter) {
        clearTimeout(waiter.timer);
        waiter.resolve(held);
      } else {
        this.unclaimed.push(held);
      }
    });
  }

  /** The oldest held request no earlier call has returned, waiting for one if there is none. */
  next(timeoutMs = DEFAULT_WAIT_MS): Promise<HeldRequest> {
    const ready = this.unclaimed.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          reject(new Error(`no request was held within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  dropAll(): void {
    for (const entry of [...this.holding.values()]) entry.decide('drop');
  }

  /** Drops everything and fails pending waitForHeld calls (emulator closing). */
  close(): void {
    this.dropAll();
    for (const waiter of this.waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error('the Stripe emulator was closed'));
    }
  }
}
