import { spawn } from 'node:child_process';
import type Stripe from 'stripe';
import { startStripeEmulator, type StripeEmulator } from './index.js';
import { hostedParams, stripeError, stripeFor, TEST_KEY, waitUntil } from './spec-helpers.js';

const CREATE = '^/v1/checkout/sessions$';
const EXPIRE = '^/v1/checkout/sessions/[^/]+/expire$';

describe('stripe emulator: held requests (crash-point tests)', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;

  beforeAll(async () => {
    emulator = await startStripeEmulator({ port: 0, faults: true });
    stripe = stripeFor(emulator);
  });
  beforeEach(() => emulator.reset());
  afterAll(() => emulator.close());

  /** A client that gives up quickly, standing in for a service process killed mid-request. */
  const doomedClient = (): Stripe => stripeFor(emulator, { timeout: 100 });

  describe("stage 'before'", () => {
    it('records the request but does not process it until released', async () => {
      emulator.injectFault({ method: 'POST', path: CREATE, kind: 'hold' });
      const creating = stripe.checkout.sessions.create(hostedParams(), {
        idempotencyKey: 'hold-1',
        stripeAccount: 'acct_H1',
      });

      const held = await emulator.waitForHeld();
      expect(held).toMatchObject({
        method: 'POST',
        path: '/v1/checkout/sessions',
        stage: 'before',
        account: 'acct_H1',
        idempotencyKey: 'hold-1',
        params: { client_reference_id: 'booking-42', mode: 'payment' },
      });
      expect(emulator.requests).toEqual([
        expect.objectContaining({ requestId: held.id, status: 0 }),
      ]);
      expect(emulator.sessions()).toEqual([]);

      held.release();
      const session = await creating;
      expect(emulator.sessions().map((s) => s.id)).toEqual([session.id]);
      expect(emulator.requests[0].status).toBe(200);
    });

    it('keeps its idempotency key in flight: the same key meanwhile gets 409 idempotency_key_in_use', async () => {
      emulator.injectFault({ method: 'POST', path: CREATE, kind: 'hold' });
      const creating = stripe.checkout.sessions.create(hostedParams(), { idempotencyKey: 'busy' });
      const held = await emulator.waitForHeld();

      const conflict = await stripeError(
        stripe.checkout.sessions.create(hostedParams(), { idempotencyKey: 'busy' }),
      );
      expect(conflict).toMatchObject({ statusCode: 409, code: 'idempotency_key_in_use' });

      held.release();
      const original = await creating;
      const replayed = await stripe.checkout.sessions.create(hostedParams(), {
        idempotencyKey: 'busy',
      });
      expect(replayed.id).toBe(original.id);
      expect(replayed.lastResponse.headers['idempotent-replayed']).toBe('true');
    });

    it('drop: closes the connection unanswered, processes nothing and frees the key', async () => {
      emulator.injectFault({ method: 'POST', path: CREATE, kind: 'hold' });
      const creating = stripe.checkout.sessions.create(hostedParams(), {
        idempotencyKey: 'dropped',
      });

      (await emulator.waitForHeld()).drop();
      // The SDK retries a closed connection once, with the same key: it runs afresh.
      const retried = await creating;
      expect(retried.lastResponse.headers['idempotent-replayed']).toBeUndefined();
      expect(emulator.requests.map((r) => [r.idempotencyKey, r.status])).toEqual([
        ['dropped', 0],
        ['dropped', 200],
      ]);
      expect(emulator.sessions().map((s) => s.id)).toEqual([retried.id]);
    });

    it('still processes a request released after its client is gone, as Stripe would', async () => {
      const { id } = await stripe.checkout.sessions.create(hostedParams());
      emulator.injectFault({ method: 'POST', path: EXPIRE, kind: 'hold' });
      const gone = stripeError(doomedClient().checkout.sessions.expire(id));
      const held = await emulator.waitForHeld();
      expect((await gone).type).toBe('StripeConnectionError');

      held.release();
      await waitUntil(() => emulator.sessions()[0].status === 'expired');
      expect(emulator.events.map((e) => e.type)).toEqual(['checkout.session.expired']);
      expect((await stripe.checkout.sessions.retrieve(id)).status).toBe('expired');
    });
    it('survives its client process being killed with SIGKILL, then processes on release', async () => {
      const { id } = await stripe.checkout.sessions.create(hostedParams());
      emulator.injectFault({ method: 'POST', path: EXPIRE, kind: 'hold' });
      const client = spawn(process.execPath, [
        '-e',
        `fetch(${JSON.stringify(`${emulator.url}/v1/checkout/sessions/${id}/expire`)}, {
           method: 'POST', headers: { Authorization: 'Bearer ${TEST_KEY}' } })`,
      ]);
      const exited = new Promise((resolve) =>
        client.once('exit', (_code, signal) => resolve(signal)),
      );

      const held = await emulator.waitForHeld();
      client.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');

      held.release();
      await waitUntil(() => emulator.sessions()[0].status === 'expired');
      expect((await stripe.checkout.sessions.list()).data[0].status).toBe('expired');
    });
  });

  describe("stage 'after'", () => {
    it('processes the request and stores its key, holding only the answer', async () => {
      emulator.injectFault({ method: 'POST', path: CREATE, kind: 'hold', stage: 'after' });
      const creating = stripe.checkout.sessions.create(hostedParams(), { idempotencyKey: 'k-a' });

      const held = await emulator.waitForHeld();
      expect(held.stage).toBe('after');
      const [created] = emulator.sessions();
      expect(created.status).toBe('open');
      const replay = await stripe.checkout.sessions.create(hostedParams(), {
        idempotencyKey: 'k-a',
      });
      expect(replay.id).toBe(created.id);

      held.release();
      expect((await creating).id).toBe(created.id);
      expect(emulator.sessions()).toHaveLength(1);
    });

    it('drop: the change stands but its answer is lost', async () => {
      emulator.injectFault({ method: 'POST', path: CREATE, kind: 'hold', stage: 'after' });
      const creating = stripe.checkout.sessions.create(hostedParams(), { idempotencyKey: 'k-d' });

      (await emulator.waitForHeld()).drop();
      // The SDK's retry of the closed connection replays what was stored before the drop.
      const session = await creating;
      expect(session.lastResponse.headers['idempotent-replayed']).toBe('true');
      expect(emulator.requests.map((r) => r.status)).toEqual([0, 200]);
      expect(emulator.sessions().map((s) => s.id)).toEqual([session.id]);
    });

    it('discards an answer released after its client is gone, and keeps serving', async () => {
      emulator.injectFault({ method: 'POST', path: CREATE, kind: 'hold', stage: 'after' });
      const gone = stripeError(doomedClient().checkout.sessions.create(hostedParams()));
      const held = await emulator.waitForHeld();
      expect((await gone).type).toBe('StripeConnectionError');

      held.release();
      const list = await stripe.checkout.sessions.list();
      expect(list.data.map((s) => s.id)).toEqual(emulator.sessions().map((s) => s.id));
      expect(list.data).toHaveLength(1);
    });
  });

  describe('matching and waiting', () => {
    it('holds only matching requests, `times` of them, each released on its own', async () => {
      const { id } = await stripe.checkout.sessions.create(hostedParams());
      emulator.injectFault({ method: 'POST', path: CREATE, kind: 'hold', times: 2 });

      expect((await stripe.checkout.sessions.retrieve(id)).id).toBe(id);
      const first = stripe.checkout.sessions.create(hostedParams({ client_reference_id: 'a' }));
      const second = stripe.checkout.sessions.create(hostedParams({ client_reference_id: 'b' }));
      const held = [await emulator.waitForHeld(), await emulator.waitForHeld()];
      const [heldA, heldB] = held.sort((x, y) =>
        String(x.params.client_reference_id).localeCompare(String(y.params.client_reference_id)),
      );
      expect([heldA, heldB].map((h) => h.params.client_reference_id)).toEqual(['a', 'b']);

      heldB.release();
      expect((await second).client_reference_id).toBe('b');
      expect(emulator.sessions()).toHaveLength(2);
      heldA.release();
      expect((await first).client_reference_id).toBe('a');
      const third = await stripe.checkout.sessions.create(hostedParams());
      expect(third.status).toBe('open');
      expect(emulator.sessions()).toHaveLength(4);
    });

    it('waitForHeld returns a request held before the call, once, and times out when none comes', async () => {
      emulator.injectFault({ kind: 'hold', method: 'GET' });
      const listing = stripe.checkout.sessions.list();
      await waitUntil(() => emulator.requests.length === 1);

      const held = await emulator.waitForHeld();
      expect(held.method).toBe('GET');
      await expect(emulator.waitForHeld(50)).rejects.toThrow(/no request was held within 50 ms/);
      held.release();
      expect((await listing).object).toBe('list');
    });

    it('clearFaults stops new holds but leaves held requests alone', async () => {
      emulator.injectFault({ method: 'POST', path: CREATE, kind: 'hold', times: 5 });
      const creating = stripe.checkout.sessions.create(hostedParams());
      const held = await emulator.waitForHeld();

      emulator.clearFaults();
      expect((await stripe.checkout.sessions.create(hostedParams())).status).toBe('open');
      expect(emulator.sessions()).toHaveLength(1);
      held.release();
      expect((await creating).status).toBe('open');
    });

    it('rejects a stage on other kinds, and hold over the HTTP admin endpoint', async () => {
      expect(() => emulator.injectFault({ kind: 'delay', ms: 1, stage: 'after' })).toThrow(/stage/);
      expect(() =>
        emulator.injectFault({ kind: 'hold', stage: 'during' as unknown as 'after' }),
      ).toThrow(/stage/);
      const res = await fetch(`${emulator.url}/_emulator/faults`, {
        method: 'POST',
        body: JSON.stringify({ kind: 'hold' }),
      });
      expect(res.status).toBe(400);
    });
  });

  /** A create without the SDK's one retry of a closed connection. */
  const createOnce = (target: StripeEmulator): Promise<Response> =>
    fetch(`${target.url}/v1/checkout/sessions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TEST_KEY}` },
      body: new URLSearchParams({
        mode: 'payment',
        success_url: 'https://shop.example/ok',
        'line_items[0][quantity]': '1',
        'line_items[0][price_data][currency]': 'sek',
        'line_items[0][price_data][unit_amount]': '100',
        'line_items[0][price_data][product_data][name]': 'Haircut',
      }),
    });

  it('close() drops held requests and fails pending waits', async () => {
    const own = await startStripeEmulator({ port: 0 });
    own.injectFault({ kind: 'hold' });
    const creating = createOnce(own);
    await own.waitForHeld();
    const waitFails = expect(own.waitForHeld(10_000)).rejects.toThrow(/closed/);

    await own.close();
    await expect(creating).rejects.toThrow(/fetch failed/);
    await waitFails;
  });

  it('reset() drops held requests', async () => {
    emulator.injectFault({ kind: 'hold' });
    const creating = createOnce(emulator);
    await emulator.waitForHeld();

    emulator.reset();
    await expect(creating).rejects.toThrow(/fetch failed/);
    expect(emulator.sessions()).toEqual([]);
  });
});
