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
  '500' | '429' | '429-no-retry' | 'hang' | 'reset-after-create' | 'expire-fail' | 'delay';

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
}

export interface PayOptions {
  email?: string;
  /** false = record the event but do not deliver it (reconciliation tests) */
  sendWebhook?: boolean;
}

export interface StripeEmulator {
  url: string;
  port: number;
  /** inspection for tests (all accounts when omitted) */
  sessions(account?: string): EmulatedSession[];
  requests: RecordedRequest[];
  events: StripeEventSent[];
  pay(sessionId: string, opts?: PayOptions): Promise<EmulatedSession>;
  expire(sessionId: string): Promise<EmulatedSession>;
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  reset(): void;
  close(): Promise<void>;
}
