import Stripe from 'stripe';
import { buildSessionParams } from '../../src/checkout/session-params.js';
import { timeOrderedId } from '../../src/common/time-ordered-id.js';
import { Checkout, Payable } from '../../src/index.js';
import type { DataSource } from 'typeorm';
import type { StripeEmulator } from '../../emulator/src/index.js';
import { SALON, SALON_ACCOUNT } from './test-app.js';

/** Where a rogue checkout is made: the database and the emulator of a test. */
export interface Backstage {
  dataSource: DataSource;
  emulator: StripeEmulator;
}

const HAIRCUT = {
  articleId: 1,
  articleTypeId: 1,
  name: 'Haircut 45 min',
  quantity: 1,
  unitAmount: 45000,
  vatBasisPoints: 2500,
};

export interface RogueCheckout {
  checkoutId: string;
  /** The session at the emulator; undefined when the row is left `creating` before Stripe. */
  sessionId: string | undefined;
}

/**
 * A checkout of the payable made behind the service's back, as a crash or a bug could leave it:
 * a row in `state` whose session exists at Stripe (`atStripe`) or not. It breaks the invariant on
 * purpose, for the code that must restore it.
 */
export async function rogueCheckout(
  t: Backstage,
  reference: string,
  state: 'open' | 'creating',
  atStripe = true,
): Promise<RogueCheckout> {
  const payable = await t.dataSource
    .getRepository(Payable)
    .findOneByOrFail({ companyId: SALON, internalReferenceId: reference });
  const checkoutId = timeOrderedId();
  const now = new Date();
  const expiresAt = new Date(now.getTime() + 3600_000);
  const params = buildSessionParams({
    checkoutId,
    companyId: SALON,
    internalReferenceId: reference,
    uiMode: 'hosted',
    currency: 'sek',
    lineItems: [HAIRCUT],
    expiresAt,
  });
  const idempotencyKey = `checkout-${checkoutId}`;
  const session = atStripe
    ? await emulatorStripe(t).checkout.sessions.create(params, {
        stripeAccount: SALON_ACCOUNT,
        idempotencyKey,
      })
    : undefined;
  await t.dataSource.getRepository(Checkout).insert({
    id: checkoutId,
    payableId: payable.id,
    companyId: SALON,
    state,
    uiMode: 'hosted',
    stripeSessionId: state === 'open' ? (session?.id ?? null) : null,
    paymentStatus: state === 'open' ? 'unpaid' : null,
    stripeAccountId: SALON_ACCOUNT,
    amountTotal: HAIRCUT.unitAmount,
    currency: 'sek',
    lineItems: [HAIRCUT],
    stripeRequest: JSON.stringify(params),
    idempotencyKey,
    expiresAt,
    // Older than any grace period: reconciliation takes it.
    createdAt: now,
    updatedAt: new Date(now.getTime() - 3600_000),
  });
  return { checkoutId, sessionId: session?.id };
}

/** The real SDK, pointed at the test's emulator. */
export function emulatorStripe(t: Backstage): Stripe {
  const url = new URL(t.emulator.url);
  return new Stripe('sk_test_rogue', { host: url.hostname, port: url.port, protocol: 'http' });
}
