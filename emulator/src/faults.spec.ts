import type Stripe from 'stripe';
import { startStripeEmulator, type StripeEmulator } from './index.js';
import { hostedParams, stripeError, stripeFor } from './spec-helpers.js';

const CREATE = '^/v1/checkout/sessions$';

describe('stripe emulator: fault injection', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;

  beforeAll(async () => {
    emulator = await startStripeEmulator({ port: 0, faults: true });
    stripe = stripeFor(emulator);
  });
  beforeEach(() => emulator.reset());
  afterAll(() => emulator.close());

  const postFault = (fault: object): Promise<Response> =>
    fetch(`${emulator.url}/_emulator/faults`, { method: 'POST', body: JSON.stringify(fault) });

  it('500: answers a Stripe api_error once, then recovers', async () => {
    expect((await postFault({ method: 'POST', path: CREATE, kind: '500', times: 1 })).status).toBe(
      200,
    );

    const err = await stripeError(stripe.checkout.sessions.create(hostedParams()));
    expect(err).toMatchObject({ statusCode: 500, type: 'StripeAPIError' });
    expect(emulator.sessions()).toHaveLength(0);

    const ok = await stripe.checkout.sessions.create(hostedParams());
    expect(ok.status).toBe('open');
  });

  it('500: an SDK with retries gets through with the same idempotency key', async () => {
    emulator.injectFault({ method: 'POST', path: CREATE, kind: '500' });
    const retrying = stripeFor(emulator, { maxNetworkRetries: 2 });

    const session = await retrying.checkout.sessions.create(hostedParams());
    expect(session.status).toBe('open');
    const keys = emulator.requests.map((r) => r.idempotencyKey);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
  });

  it('429 asks the client to retry; 429-no-retry forbids it', async () => {
    emulator.injectFault({ path: CREATE, kind: '429' });
    const err = await stripeError(stripe.checkout.sessions.create(hostedParams()));
    expect(err).toMatchObject({
      statusCode: 429,
      type: 'StripeRateLimitError',
      code: 'rate_limit',
    });
    expect(err.headers?.['stripe-should-retry']).toBe('true');

    emulator.injectFault({ path: CREATE, kind: '429-no-retry' });
    const retrying = stripeFor(emulator, { maxNetworkRetries: 2 });
    const noRetry = await stripeError(retrying.checkout.sessions.create(hostedParams()));
    expect(noRetry.statusCode).toBe(429);
    expect(noRetry.headers?.['stripe-should-retry']).toBe('false');
    expect(emulator.requests.filter((r) => r.path === '/v1/checkout/sessions')).toHaveLength(2);
  });

  it('hang: never answers, so the client times out', async () => {
    emulator.injectFault({ method: 'GET', kind: 'hang' });
    const impatient = stripeFor(emulator, { timeout: 200 });

    const err = await stripeError(impatient.checkout.sessions.list());
    expect(err.type).toBe('StripeConnectionError');
    expect(err.message).toMatch(/timeout/);
  });

  it('reset-after-create: the session exists, the SDK retries with its key and gets the same session', async () => {
    emulator.injectFault({ method: 'POST', path: CREATE, kind: 'reset-after-create' });

    const session = await stripe.checkout.sessions.create(hostedParams());

    expect(emulator.sessions().map((s) => s.id)).toEqual([session.id]);
    const [dropped, replayed] = emulator.requests;
    expect(dropped.status).toBe(0);
    expect(replayed).toMatchObject({ status: 200, idempotencyKey: dropped.idempotencyKey });
    expect(session.lastResponse.headers['idempotent-replayed']).toBe('true');
  });

  it('expire-fail: answers 500 and leaves the session open', async () => {
    const { id } = await stripe.checkout.sessions.create(hostedParams());
    emulator.injectFault({ kind: 'expire-fail' });

    const err = await stripeError(stripe.checkout.sessions.expire(id));
    expect(err.statusCode).toBe(500);
    expect((await stripe.checkout.sessions.retrieve(id)).status).toBe('open');
    expect((await stripe.checkout.sessions.expire(id)).status).toBe('expired');
  });

  it('DELETE clears faults, and bad fault specs are rejected', async () => {
    await postFault({ kind: '500', times: 5 });
    expect((await fetch(`${emulator.url}/_emulator/faults`, { method: 'DELETE' })).status).toBe(
      200,
    );
    expect((await stripe.checkout.sessions.list()).object).toBe('list');

    expect((await postFault({ kind: 'explode' })).status).toBe(400);
    expect((await postFault({ kind: '500', path: '(' })).status).toBe(400);
  });

  it('keeps /_emulator/* hidden unless faults are enabled', async () => {
    const plain = await startStripeEmulator({ port: 0 });
    try {
      const res = await fetch(`${plain.url}/_emulator/faults`, {
        method: 'POST',
        body: '{"kind":"500"}',
      });
      expect(res.status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
