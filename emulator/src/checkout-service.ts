import { checkCreateParams, type CreateSessionParams } from './create-params.js';
import { buildSession } from './session-factory.js';
import type { SessionRecord, SessionStore } from './session-store.js';
import { invalidRequest } from './stripe-errors.js';
import { unixSeconds } from './ids.js';
import type { EventOrigin, WebhookSender } from './webhook-sender.js';

const NO_ORIGIN: EventOrigin = { requestId: null, idempotencyKey: null };

export interface CompleteOptions {
  /** false = record the event without delivering it */
  deliver?: boolean;
  /** a delayed payment method: complete but unpaid until settleAsync */
  async?: boolean;
}

/** Session lifecycle (create, expire, complete) and the events each transition emits. */
export class CheckoutService {
  constructor(
    readonly store: SessionStore,
    private readonly webhooks: WebhookSender,
    private readonly clock: () => number,
    private readonly publicUrl: () => string,
  ) {}

  nowS(): number {
    return unixSeconds(this.clock());
  }

  create(params: CreateSessionParams, account: string | null): SessionRecord {
    const nowS = this.nowS();
    const items = checkCreateParams(params, nowS);
    const { session, lineItems } = buildSession(params, items, nowS, this.publicUrl());
    return this.store.add({
      session,
      account,
      lineItems,
      paymentIntentMetadata: { ...params.payment_intent_data?.metadata },
      paymentIntentDescription: params.payment_intent_data?.description ?? null,
    });
  }

  expire(record: SessionRecord, origin: EventOrigin = NO_ORIGIN, deliver = true): void {
    const status = record.session.status;
    if (status !== 'open') {
      throw invalidRequest(
        `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${status}".`,
        'session',
      );
    }
    this.store.expire(record);
    this.emit('checkout.session.expired', record, origin, deliver);
  }

  complete(record: SessionRecord, email: string, opts: CompleteOptions = {}): void {
    const { id, status, mode } = record.session;
    if (status !== 'open') {
      throw new Error(`Checkout Session ${id} is ${status}, only open sessions can be paid`);
    }
    const async = opts.async === true;
    if (async && mode !== 'payment') {
      throw new Error(`Checkout Session ${id} is in ${mode} mode, only payment mode pays async`);
    }
    this.store.complete(record, { email, nowS: this.nowS(), async });
    this.emit('checkout.session.completed', record, NO_ORIGIN, opts.deliver !== false);
  }

  /** Settles a delayed payment (pay with async), as the bank's answer would days later. */
  settleAsync(record: SessionRecord, succeeded: boolean, deliver = true): void {
    if (record.paymentIntentStatus !== 'processing') {
      throw new Error(
        `Checkout Session ${record.session.id} has no delayed payment to settle (pay it with async: true)`,
      );
    }
    this.store.settle(record, succeeded);
    const type = succeeded
      ? 'checkout.session.async_payment_succeeded'
      : 'checkout.session.async_payment_failed';
    this.emit(type, record, NO_ORIGIN, deliver);
  }

  /** Expires every open session whose expires_at has passed; returns how many. */
  sweep(): number {
    const due = this.store.openPastExpiry(this.nowS());
    for (const record of due) this.expire(record);
    return due.length;
  }

  private emit(type: string, record: SessionRecord, origin: EventOrigin, deliver: boolean): void {
    this.webhooks.emit(type, record.session, record.account, this.nowS(), origin, deliver);
  }
}
