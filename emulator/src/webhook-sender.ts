import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import Stripe from 'stripe';
import { randomId } from './ids.js';
import type { StripeEventPayload, StripeEventSent } from './types.js';

const RETRY_DELAYS_MS = [100, 500, 2000];
const ATTEMPT_TIMEOUT_MS = 5000;
const API_VERSION: string = Stripe.API_VERSION ?? '2026-10-28.endive';

export interface WebhookSenderOptions {
  url?: string;
  secret?: string;
  log: (line: string) => void;
}

export interface EventOrigin {
  requestId: string | null;
  idempotencyKey: string | null;
}

/** `t=<unix>,v1=<hex HMAC-SHA256(secret, "t.payload")>`, exactly as Stripe signs webhooks. */
export function signatureHeader(payload: string, secret: string, timestampS: number): string {
  const digest = createHmac('sha256', secret)
    .update(`${timestampS}.${payload}`, 'utf8')
    .digest('hex');
  return `t=${timestampS},v1=${digest}`;
}

/** Builds events and delivers them asynchronously, with retries, never blocking the API. */
export class WebhookSender {
  private readonly target: URL | null;
  private readonly agent: http.Agent;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly requests = new Set<http.ClientRequest>();
  private closed = false;

  constructor(
    private readonly opts: WebhookSenderOptions,
    private readonly events: StripeEventSent[],
  ) {
    this.target = opts.url ? new URL(opts.url) : null;
    const secure = this.target?.protocol === 'https:';
    this.agent = secure
      ? new https.Agent({ keepAlive: true })
      : new http.Agent({ keepAlive: true });
    if (this.target && !opts.secret)
      opts.log('webhooks: no webhook secret set, events are sent unsigned');
  }

  emit(
    type: string,
    session: Stripe.Checkout.Session,
    account: string | null,
    nowS: number,
    origin: EventOrigin,
    deliver = true,
  ): StripeEventSent {
    const event: StripeEventPayload = {
      id: randomId('evt_', 24),
      object: 'event',
      api_version: API_VERSION,
      created: nowS,
      type,
      livemode: false,
      pending_webhooks: this.target ? 1 : 0,
      request: { id: origin.requestId, idempotency_key: origin.idempotencyKey },
      data: { object: structuredClone(session) },
    };
    if (account) event.account = account;
    const sent: StripeEventSent = {
      id: event.id,
      type,
      account,
      event,
      delivery: !deliver ? 'skipped' : this.target ? 'pending' : 'no_endpoint',
      attempts: 0,
      lastStatus: null,
      lastError: null,
    };
    this.events.push(sent);
    if (sent.delivery === 'pending') this.schedule(() => this.attempt(sent), 0);
    return sent;
  }

  /** One more POST of a recorded event, outside the automatic retries; resolves with the status. */
  async resend(eventId: string): Promise<number> {
    const sent = this.events.find((e) => e.id === eventId);
    if (!sent) throw new Error(`No such event: '${eventId}'`);
    if (!this.target) throw new Error('no webhookUrl is configured, so there is nowhere to resend');
    if (this.closed) throw new Error('the Stripe emulator was closed');
    sent.attempts++;
    try {
      const status = await this.post(sent);
      sent.lastStatus = status;
      sent.lastError = null;
      if (isSuccess(status)) sent.delivery = 'delivered';
      else if (sent.delivery === 'skipped') sent.delivery = 'failed';
      return status;
    } catch (err) {
      sent.lastStatus = null;
      sent.lastError = errorMessage(err);
      if (sent.delivery === 'skipped') sent.delivery = 'failed';
      throw err;
    }
  }

  private schedule(fn: () => void, delayMs: number): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, delayMs);
    // A pending delivery never keeps a process alive on its own.
    timer.unref();
    this.timers.add(timer);
  }

  private attempt(sent: StripeEventSent): void {
    if (this.closed) return;
    sent.attempts++;
    const settle = (status: number | null, error: string | null): void => {
      if (this.closed) return;
      sent.lastStatus = status;
      sent.lastError = error;
      if (status !== null && isSuccess(status)) sent.delivery = 'delivered';
      else this.retryOrFail(sent);
    };
    this.post(sent).then(
      (status) => settle(status, null),
      (err: unknown) => settle(null, errorMessage(err)),
    );
  }

  /**
   * POSTs the event, signed now. The body is serialized afresh from the recorded event, which
   * nothing mutates, so every delivery of one event carries the same bytes.
   */
  private post(sent: StripeEventSent): Promise<number> {
    const target = this.target;
    if (!target) return Promise.reject(new Error('no webhookUrl is configured'));
    const payload = JSON.stringify(sent.event, null, 2);
    const headers: Record<string, string | number> = {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(payload),
      'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
    };
    if (this.opts.secret) {
      headers['Stripe-Signature'] = signatureHeader(
        payload,
        this.opts.secret,
        Math.floor(Date.now() / 1000),
      );
    }
    const send = target.protocol === 'https:' ? https.request : http.request;
    return new Promise((resolve, reject) => {
      const req = send(target, {
        method: 'POST',
        headers,
        agent: this.agent,
        timeout: ATTEMPT_TIMEOUT_MS,
      });
      this.requests.add(req);
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => {
          this.requests.delete(req);
          resolve(res.statusCode ?? 0);
        });
        res.on('error', (err) => {
          this.requests.delete(req);
          reject(err);
        });
      });
      req.on('timeout', () => req.destroy(new Error(`timed out after ${ATTEMPT_TIMEOUT_MS} ms`)));
      req.on('error', (err) => {
        this.requests.delete(req);
        reject(err);
      });
      req.end(payload);
    });
  }

  private retryOrFail(sent: StripeEventSent): void {
    const delay = RETRY_DELAYS_MS[sent.attempts - 1];
    const reason = sent.lastError ?? `HTTP ${sent.lastStatus}`;
    if (delay === undefined || this.closed) {
      sent.delivery = 'failed';
      this.opts.log(
        `webhook ${sent.type} ${sent.id} failed after ${sent.attempts} attempts: ${reason}`,
      );
      return;
    }
    this.opts.log(
      `webhook ${sent.type} ${sent.id} attempt ${sent.attempts} failed (${reason}), retrying`,
    );
    this.schedule(() => this.attempt(sent), delay);
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const inFlight = [...this.requests];
    this.requests.clear();
    for (const req of inFlight) req.destroy();
    this.agent.destroy();
  }
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
