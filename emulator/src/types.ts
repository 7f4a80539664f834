import type Stripe from 'stripe';

export interface StripeEmulatorOptions {
  /** 0 = random free port; default 12111 */
  port?: number;
  /** default '127.0.0.1' */
  host?: string;
  /** where signed events are POSTed; none => events only kept in memory */
  webhookUrl?: string;
  /** 'whsec_...' used to sign events */
  webhookSecret?: string;
  /** base for hosted page URLs; default http://host:port */
  publicUrl?: string;
  /** enable the /_emulator/faults admin endpoint (tests); default false */
  faults?: boolean;
  /** how often sessions past expires_at are expired; default 1000 */
  expirySweepMs?: number;
  /** never receives secrets (keys, client secrets, whsec) */
  logger?: (line: string) => void;
  /** epoch milliseconds; lets tests move time forward (expiry) without waiting. Default Date.now */
  clock?: () => number;
}

/** A Checkout Session as Stripe returns it, plus the connected account it lives under. */
export type EmulatedSession = Stripe.Checkout.Session & {
  /** acct_... for connected-account sessions, null for the platform */
  account: string | null;
  /** payment_intent_data[metadata] from the create call, for the payment intent */
  payment_intent_metadata: Record<string, string>;
};

export interface RecordedRequest {
  method: string;
  /** path without the query string */
  path: string;
  account: string | null;
  idempotencyKey: string | null;
  /** decoded nested body (POST) or query (GET) params, before type coercion */
  params: Record<string, unknown>;
  requestId: string;
  /** 0 while in flight or when the connection was dropped on purpose */
  status: number;
}

export type EventDelivery = 'pending' | 'delivered' | 'failed' | 'skipped' | 'no_endpoint';

export interface StripeEventPayload {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  type: string;
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  data: { object: Stripe.Checkout.Session };
  account?: string;
}

export interface StripeEventSent {
  id: string;
  type: string;
  account: string | null;
  event: StripeEventPayload;
  delivery: EventDelivery;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
}

export type FaultKind =
  '500' | '429' | '429-no-retry' | 'hang' | 'reset-after-create' | 'expire-fail' | 'delay' | 'hold';

/**
 * 'before': the request is recorded (its idempotency key in flight) but not processed until
 * released; 'after': it is processed (state changed, key stored) and only the answer is held.
 */
export type HoldStage = 'before' | 'after';

export interface FaultSpec {
  /** HTTP method to match; any when omitted */
  method?: string;
  /** regex tested against the path (no query); any /v1 path when omitted */
  path?: string;
  kind: FaultKind;
  /** how many matching requests it affects; default 1 */
  times?: number;
  /** for kind 'delay': how long to hold the request (the idempotency key stays in flight) */
  ms?: number;
  /** for kind 'hold': default 'before'; the request waits for release() or drop() */
  stage?: HoldStage;
}

/** A request parked by a 'hold' fault (see StripeEmulator.waitForHeld). */
export interface HeldRequest {
  /** the request id, as in RecordedRequest.requestId and the Request-Id header */
  id: string;
  method: string;
  path: string;
  stage: HoldStage;
  account: string | null;
  idempotencyKey: string | null;
  params: Record<string, unknown>;
  /**
   * 'before': process the request and answer it; 'after': send the held answer. Processing
   * happens even when the client is gone (as at Stripe); an answer nobody awaits is discarded.
   */
  release(): void;
  /** destroy the connection without an answer; a 'before' request is then never processed */
  drop(): void;
}

export interface EventOptions {
  /** false = record the event but do not deliver it (deliver it later with resendEvent) */
  sendWebhook?: boolean;
}

export interface PayOptions extends EventOptions {
  email?: string;
  /**
   * A delayed payment method (SEPA Debit, Bacs...): the session completes with payment_status
   * 'unpaid' and its payment intent 'processing' until settleAsyncPayment.
   */
  async?: boolean;
}

export type AsyncPaymentOutcome = 'succeeded' | 'failed';

export interface ApiConcurrency {
  inFlight: number;
  peak: number;
}

export interface StripeEmulator {
  url: string;
  port: number;
  /** inspection for tests (all accounts when omitted) */
  sessions(account?: string): EmulatedSession[];
  requests: RecordedRequest[];
  events: StripeEventSent[];
  /** API requests being answered now, and the most at once since start (or since `reset()`) */
  concurrency: ApiConcurrency;
  /** completes an open session as the customer would; sends checkout.session.completed */
  pay(sessionId: string, opts?: PayOptions): Promise<EmulatedSession>;
  /**
   * Ends a delayed payment made with pay(id, { async: true }): 'succeeded' marks it paid and
   * sends checkout.session.async_payment_succeeded; 'failed' leaves it unpaid and sends
   * checkout.session.async_payment_failed.
   */
  settleAsyncPayment(
    sessionId: string,
    outcome: AsyncPaymentOutcome,
    opts?: EventOptions,
  ): Promise<EmulatedSession>;
  /** expires an open session as Stripe's expiry would; sends checkout.session.expired */
  expire(sessionId: string, opts?: EventOptions): Promise<EmulatedSession>;
  /**
   * POSTs a recorded event to the webhook URL once more (same id and body, fresh signature);
   * resolves with the HTTP status, rejects when the endpoint cannot be reached.
   */
  resendEvent(eventId: string): Promise<number>;
  injectFault(fault: FaultSpec): void;
  /** removes faults not yet triggered; requests already held stay held */
  clearFaults(): void;
  /**
   * The oldest held request not returned before, waiting for one up to timeoutMs (default
   * 5000); rejects when none is held in time.
   */
  waitForHeld(timeoutMs?: number): Promise<HeldRequest>;
  /** forgets all state (sessions, keys, faults, requests, events) and drops held requests */
  reset(): void;
  /** stops the server; held requests are dropped */
  close(): Promise<void>;
}
