import { checkCreateParams, type CreateSessionParams } from './create-params.js';
import { buildSession } from './session-factory.js';
import type { SessionRecord, SessionStore } from './session-store.js';
import { invalidRequest } from './stripe-errors.js';
import { unixSeconds } from './ids.js';
import type { EventOrigin, WebhookSender } from './webhook-sender.js';

const NO_ORIGIN: EventOrigin = { requestId: null, idempotencyKey: null };

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

  expire(record: SessionRecord, origin: EventOrigin = NO_ORIGIN): void {
    const status = record.session.status;
    if (status !== 'open') {
      throw invalidRequest(
        `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${status}".`,
        'session',
      );
    }
    this.store.expire(record);
    this.emit('checkout.session.expired', record, origin, true);
  }

  complete(record: SessionRecord, email: string, deliver = true): void {
    const status = record.session.status;
    if (status !== 'open') {
      throw new Error(
        `Checkout Session ${record.session.id} is ${status}, only open sessions can be paid`,
      );
    }
    this.store.complete(record, { email, nowS: this.nowS() });
    this.emit('checkout.session.completed', record, NO_ORIGIN, deliver);
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
