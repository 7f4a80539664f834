import type Stripe from 'stripe';
import { startStripeEmulator, type StripeEmulator } from './index.js';
import { hostedParams, stripeError, stripeFor } from './spec-helpers.js';

describe('stripe emulator: Stripe-Account scoping and idempotency', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;

  beforeAll(async () => {
    emulator = await startStripeEmulator({ port: 0 });
    stripe = stripeFor(emulator);
  });
  beforeEach(() => emulator.reset());
  afterAll(() => emulator.close());

  describe('Stripe-Account', () => {
    it('only shows a connected-account session to that account', async () => {
      const session = await stripe.checkout.sessions.create(hostedParams(), {
        stripeAccount: 'acct_A1',
      });

      const own = await stripe.checkout.sessions.retrieve(
        session.id,
        {},
        { stripeAccount: 'acct_A1' },
      );
      expect(own.id).toBe(session.id);

      for (const stripeAccount of ['acct_B2', undefined]) {
        const err = await stripeError(
          stripe.checkout.sessions.retrieve(session.id, {}, { stripeAccount }),
        );
        expect(err).toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'session' });
      }
      const expireErr = await stripeError(
        stripe.checkout.sessions.expire(session.id, {}, { stripeAccount: 'acct_B2' }),
      );
      expect(expireErr.statusCode).toBe(404);

      const otherList = await stripe.checkout.sessions.list({}, { stripeAccount: 'acct_B2' });
      expect(otherList.data).toEqual([]);
      expect(emulator.sessions('acct_A1').map((s) => s.id)).toEqual([session.id]);
      expect(emulator.sessions('acct_B2')).toEqual([]);
      expect(emulator.requests[0].account).toBe('acct_A1');
    });

    it('rejects a malformed account header with a permission error', async () => {
      const err = await stripeError(
        stripe.checkout.sessions.list({}, { stripeAccount: 'not-an-account' }),
      );
      expect(err.statusCode).toBe(403);
    });
  });

  describe('Idempotency-Key', () => {
    it('replays the stored response for the same key and params', async () => {
      const first = await stripe.checkout.sessions.create(hostedParams(), {
        idempotencyKey: 'same-1',
      });
      const second = await stripe.checkout.sessions.create(hostedParams(), {
        idempotencyKey: 'same-1',
      });

      expect(second.id).toBe(first.id);
      expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
      expect(first.lastResponse.headers['idempotent-replayed']).toBeUndefined();
      expect(emulator.sessions()).toHaveLength(1);
    });

    it('rejects the same key with different params', async () => {
      await stripe.checkout.sessions.create(hostedParams(), { idempotencyKey: 'same-2' });
      const err = await stripeError(
        stripe.checkout.sessions.create(hostedParams({ client_reference_id: 'other' }), {
          idempotencyKey: 'same-2',
        }),
      );

      expect(err.statusCode).toBe(400);
      expect(err.type).toBe('StripeIdempotencyError');
      expect(err.message).toMatch(
        /^Keys for idempotent requests can only be used with the same parameters/,
      );
    });

    it('scopes keys per account', async () => {
      const onA = await stripe.checkout.sessions.create(hostedParams(), {
        idempotencyKey: 'k',
        stripeAccount: 'acct_A1',
      });
      const onB = await stripe.checkout.sessions.create(hostedParams(), {
        idempotencyKey: 'k',
        stripeAccount: 'acct_B2',
      });

      expect(onA.id).not.toBe(onB.id);
      expect(emulator.sessions()).toHaveLength(2);
    });

    it('does not store validation failures, so the key can be reused once fixed', async () => {
      const bad = {
        ...hostedParams(),
        mode: undefined,
      } as unknown as Stripe.Checkout.SessionCreateParams;
      await stripeError(stripe.checkout.sessions.create(bad, { idempotencyKey: 'fix-me' }));

      const ok = await stripe.checkout.sessions.create(hostedParams(), {
        idempotencyKey: 'fix-me',
      });
      expect(ok.status).toBe('open');
    });

    it('answers 409 while a request with the same key is in flight, which the SDK retries', async () => {
      emulator.injectFault({
        method: 'POST',
        path: '^/v1/checkout/sessions$',
        kind: 'delay',
        ms: 300,
      });
      const first = stripe.checkout.sessions.create(hostedParams(), { idempotencyKey: 'busy' });
      await new Promise((resolve) => setTimeout(resolve, 50));

      const conflict = await stripeError(
        stripe.checkout.sessions.create(hostedParams(), { idempotencyKey: 'busy' }),
      );
      expect(conflict.statusCode).toBe(409);
      expect(conflict.raw).toMatchObject({ type: 'idempotency_error' });

      const retrying = stripeFor(emulator, { maxNetworkRetries: 3 });
      const [original, retried] = await Promise.all([
        first,
        retrying.checkout.sessions.create(hostedParams(), { idempotencyKey: 'busy' }),
      ]);
      expect(retried.id).toBe(original.id);
      expect(emulator.sessions()).toHaveLength(1);
    });
  });
});
