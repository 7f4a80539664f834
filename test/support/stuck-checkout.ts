import Stripe from 'stripe';
import { buildSessionParams } from '../../src/checkout/session-params.js';
import { timeOrderedId } from '../../src/common/time-ordered-id.js';
import { Checkout, Payable } from '../../src/index.js';
import { SALON, SALON_ACCOUNT, type TestApp } from './test-app.js';

/**
 * What a crash between Stripe's create and storing its answer leaves: a payable with its
 * write-ahead checkout still `creating`, and the session at Stripe (made under the row's key).
 */
export async function insertCreatingWithSession(
  t: TestApp,
  stripe: Stripe,
  ref: string,
): Promise<{ checkoutId: string; sessionId: string }> {
  const now = new Date();
  const payableId = timeOrderedId();
  const checkoutId = timeOrderedId();
  const expiresAt = new Date(now.getTime() + 3600_000);
  const params = buildSessionParams({
    checkoutId,
    companyId: SALON,
    internalReferenceId: ref,
    uiMode: 'hosted',
    currency: 'sek',
    lineItems: [
      {
        articleId: 1,
        articleTypeId: 1,
        name: 'Haircut 45 min',
        quantity: 1,
        unitAmount: 45000,
        vatBasisPoints: 2500,
      },
    ],
    expiresAt,
  });
  await t.dataSource.getRepository(Payable).insert({
    id: payableId,
    companyId: SALON,
    internalReferenceId: ref,
    createdAt: now,
    updatedAt: now,
  });
  await t.dataSource.getRepository(Checkout).insert({
    id: checkoutId,
    payableId,
    companyId: SALON,
    state: 'creating',
    uiMode: 'hosted',
    stripeAccountId: SALON_ACCOUNT,
    amountTotal: 45000,
    currency: 'sek',
    lineItems: [],
    stripeRequest: JSON.stringify(params),
    idempotencyKey: `checkout-${checkoutId}`,
    expiresAt,
    createdAt: now,
    updatedAt: now,
  });
  const session = await stripe.checkout.sessions.create(params, {
    stripeAccount: SALON_ACCOUNT,
    idempotencyKey: `checkout-${checkoutId}`,
  });
  return { checkoutId, sessionId: session.id };
}

/** The Stripe SDK against the test's emulator, as a test's own client (not the service's). */
export function emulatorStripe(t: TestApp): Stripe {
  return new Stripe('sk_test_stuck', {
    host: '127.0.0.1',
    port: new URL(t.emulator.url).port,
    protocol: 'http',
  });
}
