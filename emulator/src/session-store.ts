import type Stripe from 'stripe';
import type { WireLineItem } from './session-factory.js';
import { randomId } from './ids.js';

export interface SessionRecord {
  session: Stripe.Checkout.Session;
  account: string | null;
  lineItems: WireLineItem[];
  paymentIntentMetadata: Record<string, string>;
  paymentIntentDescription: string | null;
  /** null until paid; 'processing' while a delayed payment method settles */
  paymentIntentStatus: PaymentIntentStatus | null;
  /** position in its account's creation-ordered list (pagination cursor) */
  index: number;
}

export type PaymentIntentStatus = 'succeeded' | 'processing' | 'requires_payment_method';

export interface CompletionDetails {
  email: string;
  nowS: number;
  /** a delayed payment method: complete, but unpaid until settled */
  async: boolean;
}

const PLATFORM = '';

/** In-memory sessions, per account, in creation order. */
export class SessionStore {
  private readonly byId = new Map<string, SessionRecord>();
  private readonly byAccount = new Map<string, SessionRecord[]>();
  // The expiry sweep only needs to look at open sessions.
  private readonly open = new Set<SessionRecord>();

  add(record: Omit<SessionRecord, 'index' | 'paymentIntentStatus'>): SessionRecord {
    const key = record.account ?? PLATFORM;
    let list = this.byAccount.get(key);
    if (!list) this.byAccount.set(key, (list = []));
    const stored: SessionRecord = { ...record, paymentIntentStatus: null, index: list.length };
    list.push(stored);
    this.byId.set(stored.session.id, stored);
    this.open.add(stored);
    return stored;
  }

  /** Only visible to the account that created it, like Stripe. */
  find(id: string, account: string | null): SessionRecord | undefined {
    const record = this.byId.get(id);
    return record && record.account === account ? record : undefined;
  }

  findAnyAccount(id: string): SessionRecord | undefined {
    return this.byId.get(id);
  }

  /** Creation order (oldest first); do not mutate. */
  ordered(account: string | null): readonly SessionRecord[] {
    return this.byAccount.get(account ?? PLATFORM) ?? [];
  }

  all(account?: string): SessionRecord[] {
    if (account !== undefined) return this.byAccount.get(account) ?? [];
    return [...this.byId.values()];
  }

  openPastExpiry(nowS: number): SessionRecord[] {
    const due: SessionRecord[] = [];
    for (const record of this.open) if (record.session.expires_at <= nowS) due.push(record);
    return due;
  }

  expire(record: SessionRecord): void {
    record.session.status = 'expired';
    record.session.url = null;
    this.open.delete(record);
  }

  complete(record: SessionRecord, details: CompletionDetails): void {
    const s = record.session;
    s.status = 'complete';
    s.url = null;
    s.payment_status =
      s.mode === 'setup' ? 'no_payment_required' : details.async ? 'unpaid' : 'paid';
    s.customer = randomId('cus_', 14);
    s.customer_details = {
      address: null,
      business_name: null,
      email: details.email,
      individual_name: null,
      name: null,
      phone: null,
      tax_exempt: 'none',
      tax_ids: [],
    };
    if (s.mode === 'payment') {
      s.payment_intent = randomId('pi_', 24);
      record.paymentIntentStatus = details.async ? 'processing' : 'succeeded';
    }
    if (s.mode === 'setup') s.setup_intent = randomId('seti_', 24);
    if (s.mode === 'subscription') s.subscription = randomId('sub_', 24);
    this.open.delete(record);
  }

  /** The end of a delayed payment: paid, or unpaid with the payment intent needing a new method. */
  settle(record: SessionRecord, succeeded: boolean): void {
    record.paymentIntentStatus = succeeded ? 'succeeded' : 'requires_payment_method';
    if (succeeded) record.session.payment_status = 'paid';
  }

  clear(): void {
    this.byId.clear();
    this.byAccount.clear();
    this.open.clear();
  }
}
