import { Checkout, StripeEvent } from '../../src/index.js';
import { sessionEvent, sign } from '../support/stripe-events.js';
import {
  SALON_ACCOUNT,
  salonCheckout,
  startTestApp,
  WEBHOOK_SECRET,
  type TestApp,
} from '../support/test-app.js';
import { TEST_DB } from '../support/test-database.js';

/** Item 9 of issue 10: a correctly signed but malformed event is a 400, never a 5xx Stripe retries. */
describe(`signed but malformed Stripe events (${TEST_DB})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const paidSession = async () => {
    const res = await t.http
      .post('/payment/stripe/v1/checkout')
      .set('x-api-key', 'demo-api-key')
      .send(salonCheckout())
      .expect(200);
    const sessionId = res.body.SessionId as string;
    await t.emulator.pay(sessionId, { sendWebhook: false });
    return sessionId;
  };
  const deliver = (payload: string, signature = sign(payload, WEBHOOK_SECRET)) =>
    t.http
      .post('/payment/stripe/v1/webhook')
      .set('Content-Type', 'application/json')
      .set('Stripe-Signature', signature)
      .send(payload);
  const eventCount = () => t.dataSource.getRepository(StripeEvent).count();
  const stateOf = async (sessionId: string) =>
    (await t.dataSource.getRepository(Checkout).findOneByOrFail({ stripeSessionId: sessionId }))
      .state;
  /** A real completed event of a paid session, changed by `mutate`. */
  const malformed = async (mutate: (event: Record<string, unknown>) => unknown) => {
    const sessionId = await paidSession();
    const event = JSON.parse(
      sessionEvent(t.emulator, sessionId, 'checkout.session.completed', SALON_ACCOUNT),
    ) as Record<string, unknown>;
    return { sessionId, payload: JSON.stringify(mutate(event)) };
  };
  const withData = (event: Record<string, unknown>, data: unknown) => ({ ...event, data });
  const session = (event: Record<string, unknown>) =>
    (event.data as { object: Record<string, unknown> }).object;

  it.each([
    ['no id', (e: Record<string, unknown>) => ({ ...e, id: undefined }), 'id'],
    ['a numeric id', (e: Record<string, unknown>) => ({ ...e, id: 42 }), 'id'],
    [
      'an id too long for its column',
      (e: Record<string, unknown>) => ({ ...e, id: `evt_${'x'.repeat(300)}` }),
      'id',
    ],
    ['object: null', (e: Record<string, unknown>) => ({ ...e, object: null }), 'object'],
    [
      'an account that is not a string',
      (e: Record<string, unknown>) => ({ ...e, account: { id: SALON_ACCOUNT } }),
      'account',
    ],
    ['no data', (e: Record<string, unknown>) => withData(e, undefined), 'data'],
    ['no data.object', (e: Record<string, unknown>) => withData(e, {}), 'data.object'],
    [
      'data.object null',
      (e: Record<string, unknown>) => withData(e, { object: null }),
      'data.object',
    ],
    [
      'a data.object with a numeric id',
      (e: Record<string, unknown>) => withData(e, { object: { ...session(e), id: 7 } }),
      'data.object.id',
    ],
    [
      'a data.object without id',
      (e: Record<string, unknown>) => withData(e, { object: { ...session(e), id: undefined } }),
      'data.object.id',
    ],
    ['a JSON array', () => [], ''],
    ['JSON null', () => null, ''],
    ['a JSON number', () => 42, ''],
    ['a JSON string', () => 'evt_1', ''],
  ])('%s → 400 ResponseStatus, nothing stored', async (_name, mutate, field) => {
    const { sessionId, payload } = await malformed(mutate);
    const before = await eventCount();
    const res = await deliver(payload);
    expect(res.status).toBe(400);
    expect(res.body.ResponseStatus).toEqual(
      expect.objectContaining({ ErrorCode: expect.any(String) }),
    );
    // Express' strict JSON parser refuses a top-level scalar before the route; the rest is ours.
    if (res.body.ResponseStatus.ErrorCode !== 'SerializationException') {
      expect(res.body.ResponseStatus.Errors).toEqual([
        expect.objectContaining({ ErrorCode: 'InvalidEvent', FieldName: field }),
      ]);
    }
    expect(await eventCount()).toBe(before);
    expect(await stateOf(sessionId)).toBe('open');
  });

  it('a signed body that is not JSON → 400, nothing stored', async () => {
    const before = await eventCount();
    const res = await deliver('{"id": "evt_1", oops');
    expect(res.status).toBe(400);
    expect(res.body.ResponseStatus.ErrorCode).toMatch(/SerializationException|InvalidEvent/);
    expect(await eventCount()).toBe(before);
  });

  it('a signature dated more than five minutes ahead is refused like an old one', async () => {
    const { sessionId, payload } = await malformed((event) => event);
    const inAnHour = Math.floor(Date.now() / 1000) + 3600;
    const before = await eventCount();
    const res = await deliver(payload, sign(payload, WEBHOOK_SECRET, inAnHour)).expect(400);
    expect(res.body.ResponseStatus.ErrorCode).toBe('InvalidSignature');
    expect(await eventCount()).toBe(before);
    expect(await stateOf(sessionId)).toBe('open');
  });

  it('a signature a minute ahead (clock skew) is taken', async () => {
    const { sessionId, payload } = await malformed((event) => event);
    const inAMinute = Math.floor(Date.now() / 1000) + 60;
    const res = await deliver(payload, sign(payload, WEBHOOK_SECRET, inAMinute)).expect(200);
    expect(res.body.outcome).toBe('processed');
    expect(await stateOf(sessionId)).toBe('complete');
  });
});
