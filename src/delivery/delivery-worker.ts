import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { redirectUrlProblem } from '../checkout/redirect-url.js';
import { toPaymentEvent } from '../events/payment-event.js';
import { decide, type AttemptResult } from './delivery-outcome.js';
import type { DeliverySettings } from './delivery-settings.js';
import { DeliveryStore, type Claim, type ClaimedDelivery } from './delivery-store.js';
import { DELIVERY_SETTINGS } from './delivery-tokens.js';
import { EventFanOut } from './event-fan-out.js';
import { postEvent, type HttpAttempt } from './http-attempt.js';
import { HANDLER_PREFIX, PaymentEventHandlers } from './payment-event-handlers.js';
import { signedHeaders } from './webhook-signature.js';

/**
 * Every instance runs one: on its own timer (no scheduler module, a host's stays the host's) it
 * plans new events' deliveries and performs the due ones it manages to claim, a bounded number at
 * a time. Nothing is queued in memory: what this instance does not finish, its claim's expiry
 * hands to another.
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('EventDelivery');
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;
  private stopping = false;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly stop = new AbortController();

  constructor(
    @Inject(DELIVERY_SETTINGS) private readonly settings: DeliverySettings,
    private readonly fanOut: EventFanOut,
    private readonly store: DeliveryStore,
    private readonly handlers: PaymentEventHandlers,
  ) {}

  onApplicationBootstrap(): void {
    const interval = this.settings.pollIntervalMs;
    if (interval > 0) this.timer = setInterval(() => void this.tick(), interval).unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    this.stop.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  /** One round: plan new events, start what is due and fits. Public for a host's own schedule. */
  async tick(): Promise<void> {
    if (this.ticking || this.stopping) return;
    this.ticking = true;
    try {
      await this.fanOut.fanOut().catch((error: unknown) => {
        this.logger.warn(`Planning event deliveries failed: ${message(error)}`);
      });
      const room = this.settings.concurrency - this.inFlight.size;
      if (room <= 0) return;
      for (const claim of await this.store.claimDue(room, this.settings.claimMs)) {
        const run = this.perform(claim).finally(() => this.inFlight.delete(run));
        this.inFlight.add(run);
      }
    } catch (error) {
      this.logger.warn(`Event delivery round failed: ${message(error)}`);
    } finally {
      this.ticking = false;
    }
  }

  private async perform(claim: Claim): Promise<void> {
    // Renewed while this instance is alive and working on it: never two at once for one delivery.
    const renewal = setInterval(
      () => void this.store.extend(claim, this.settings.claimMs).catch(() => undefined),
      Math.max(100, Math.floor(this.settings.claimMs / 3)),
    ).unref();
    try {
      const claimed = await this.store.load(claim);
      if (!claimed) return;
      if (claimed.subscriber.startsWith(HANDLER_PREFIX)) await this.callHandler(claimed);
      else await this.post(claimed);
    } catch (error) {
      // The claim runs out by itself and the delivery is taken again: late, never lost.
      this.logger.warn(`Delivery ${claim.deliveryId} failed: ${message(error)}`);
    } finally {
      clearInterval(renewal);
    }
  }

  private async callHandler(claimed: ClaimedDelivery): Promise<void> {
    const handler = this.handlers.find(claimed.subscriber);
    let result: AttemptResult = { delivered: true, status: null };
    try {
      if (!handler) throw new Error('no such handler on this instance');
      await handler.call(toPaymentEvent(claimed.event));
    } catch (error) {
      result = { delivered: false, status: null, error: message(error) };
      this.logger.warn(
        `${claimed.subscriber} threw on event ${claimed.event.eventId} (attempt ${claimed.attempts + 1}): ${message(error)}`,
      );
    }
    await this.store.record(claimed, this.decide(claimed, result), result);
  }

  private async post(claimed: ClaimedDelivery): Promise<void> {
    const endpoint = await this.store.endpoint(claimed.subscriber);
    if (!endpoint || endpoint.disabled) {
      await this.store.record(
        claimed,
        { state: 'failed' },
        { delivered: false, status: null, error: 'endpoint disabled' },
      );
      return;
    }
    const attemptedAt = new Date();
    const attempt = await this.attempt(claimed, endpoint.url, endpoint.secrets);
    if (this.stopping && !attempt.delivered && attempt.status === null) {
      await this.store.release(claimed);
      return;
    }
    const decision = this.decide(claimed, attempt);
    await this.store.record(claimed, decision, attempt, { id: endpoint.id, attempt, attemptedAt });
    if (decision.disableEndpoint)
      this.logger.warn(`Endpoint ${endpoint.id} answered 410: disabled`);
  }

  /** The URL policy is checked again at each attempt: the rules may have tightened since. */
  private attempt(claimed: ClaimedDelivery, url: string, secrets: string[]): Promise<HttpAttempt> {
    const problem = redirectUrlProblem(url, {
      production: this.settings.production,
      allowlist: null,
    });
    if (problem) {
      const error = `the URL is refused: it ${problem}`;
      return Promise.resolve({ delivered: false, status: null, error, latencyMs: 0, answer: null });
    }
    const body = JSON.stringify(toPaymentEvent(claimed.event));
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = signedHeaders(secrets, claimed.event.eventId, timestamp, body);
    return postEvent(url, { ...headers }, body, this.settings.timeoutMs, this.stop.signal, {
      allowLoopback: !this.settings.production,
    });
  }

  private decide(claimed: ClaimedDelivery, result: AttemptResult) {
    return decide(result, claimed.attempts + 1, this.settings.retryScheduleMs);
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
