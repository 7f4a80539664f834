import type { Type } from '@nestjs/common';
import type { PaymentsAuthGuard } from './auth/payments-caller.js';

export interface PaymentsStripeOptions {
  /** `sk_test_...`/`sk_live_...`; the emulator accepts any `sk_test_` key. */
  secretKey: string;
  /** Another Stripe (the emulator, a recording proxy): e.g. `http://127.0.0.1:12111`. */
  apiUrl?: string;
  webhookSecret?: string;
  /** Secret of a second endpoint receiving connected-account events, when it differs. */
  connectWebhookSecret?: string;
  /** Per attempt; default 10 s. */
  timeoutMs?: number;
  /** Retries of a failed Stripe request, always with the same idempotency key; default 2. */
  maxNetworkRetries?: number;
}

export interface PaymentsRateLimitOptions {
  /** Requests per API key per window over all operations; default 1200; 0 turns it off. */
  perKey?: number;
  /** Creates and reads of one payable per window; default 30; 0 turns it off. */
  perPayable?: number;
  /**
   * Requests with a missing or unknown API key per client address per window; beyond it they are
   * answered 429 (a valid key from the same address keeps working). Default 20; 0 turns it off.
   */
  failedAuthPerAddress?: number;
  /** Default 60 s. */
  windowMs?: number;
  /** Share the counters between instances, e.g. redis://127.0.0.1:6379. */
  redisUrl?: string;
}

export interface PaymentsRetentionOptions {
  /**
   * Processed Stripe events and outbound events (once fanned out) older than this are deleted;
   * checkouts and payables never are. Default 90.
   */
  retentionDays?: number;
  /** How often an instance tries a pass (one instance at a time runs it); default 1 h; 0 turns it off. */
  intervalMs?: number;
  /** Rows deleted per transaction; default 500. */
  batchSize?: number;
}

export interface PaymentsWebhookOptions {
  /**
   * Delay before each attempt of a delivery, in ms: the first for the first attempt, and as many
   * attempts as delays. Default now, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. Jitter adds up to
   * 10%; a longer `Retry-After` wins.
   */
  retryScheduleMs?: number[];
  /** Per HTTP attempt, answer included; default 15 s. */
  timeoutMs?: number;
  /** How often each instance looks for events to plan and deliveries due; default 1 s; 0 off. */
  pollIntervalMs?: number;
  /** Deliveries in flight per instance; default 10. */
  concurrency?: number;
  /**
   * How long a claimed delivery is this instance's: an instance that dies mid-delivery leaves it
   * to another after this. Default the HTTP timeout plus 5 s; an in-process handler has it too.
   */
  claimMs?: number;
}

export interface PaymentsModuleOptions {
  stripe: PaymentsStripeOptions;
  /** Plain-http redirect URLs to localhost are refused in production. */
  production?: boolean;
  /** Replaces the x-api-key guard on every operation (not on the webhook). */
  authGuard?: Type<PaymentsAuthGuard>;
  rateLimit?: PaymentsRateLimitOptions;
  /**
   * How long companies, prices and API keys are cached per instance; a change in the database
   * shows after at most this long. Default 10 s; 0 reads the database every time.
   */
  settingsCacheTtlMs?: number;
  /** How long `GET /health?details=true` reuses its Stripe reachability check; default 10 s. */
  stripeHealthTtlMs?: number;
  /**
   * The per-payable lease lasts for the worst case of one Stripe operation (from `stripe.timeoutMs`
   * and `stripe.maxNetworkRetries`) plus this margin, and is renewed before each; a crashed holder
   * blocks its payable that long. Default 10 s.
   */
  lockLeaseMarginMs?: number;
  /** How long a create waits for another create of the same payable; default 5 s. */
  lockWaitMs?: number;
  /** Reconciliation job interval; 0 disables the in-process job; default 60 s. */
  reconcileIntervalMs?: number;
  /** A `creating` checkout older than this is settled by reconciliation; default 2 min. */
  creatingGraceMs?: number;
  retention?: PaymentsRetentionOptions;
  /** Delivery of events to webhook endpoints and `@OnPaymentEvent` handlers. */
  webhooks?: PaymentsWebhookOptions;
}
