import Stripe from 'stripe';
import type { StripeEmulator } from '../../emulator/src/index.js';

const stripe = new Stripe('sk_test_events');
let sequence = 0;

/** A Stripe event for a session of the emulator, as Stripe would send it. */
export function sessionEvent(
  emulator: StripeEmulator,
  sessionId: string,
  type: string,
  account: string | null | undefined,
): string {
  const session = emulator.sessions().find((s) => s.id === sessionId);
  if (!session) throw new Error(`no session ${sessionId}`);
  const { account: _account, payment_intent_metadata: _metadata, ...object } = session;
  return JSON.stringify({
    id: `evt_test_${Date.now()}_${++sequence}`,
    object: 'event',
    api_version: Stripe.API_VERSION,
    created: Math.floor(Date.now() / 1000),
    type,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: { object },
    ...(account && { account }),
  });
}

/** The Stripe-Signature header for a payload, signed for real. */
export function sign(payload: string, secret: string, timestamp?: number): string {
  return stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
}
