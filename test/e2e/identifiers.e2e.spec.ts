import { Payable } from '../../src/index.js';
import { sign } from '../support/stripe-events.js';
import {
  SALON,
  salonCheckout,
  startTestApp,
  WEBHOOK_SECRET,
  type TestApp,
} from '../support/test-app.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../support/test-database.js';

const CREATE = '/payment/stripe/v1/checkout';
// ábc precomposed and decomposed, and abc with a trailing space: all different bytes.
const REFERENCES = ['abc', 'ABC', '\u00e1bc', 'a\u0301bc', 'abc '];

/**
 * Item 8 of issue 10: identifiers are byte-exact on every database, here on a MariaDB database as
 * the service created them before (utf8mb4_unicode_ci), migrated.
 */
describe(`byte-exact identifiers through HTTP (${TEST_DB})`, () => {
  let db: TestDatabase;
  let t: TestApp;
  beforeAll(async () => {
    db = await createTestDatabase({ legacy: true });
    t = await startTestApp({ db, module: { rateLimit: { perKey: 0, perPayable: 0 } } });
  });
  afterAll(async () => {
    await t.close();
    await db.drop();
  });

  const create = (reference: string) =>
    t.http
      .post(CREATE)
      .set('x-api-key', 'demo-api-key')
      .send(salonCheckout({ InternalReferenceId: reference }));
  const current = (reference: string) =>
    t.http
      .get(CREATE)
      .set('x-api-key', 'demo-api-key')
      .query({ CompanyId: SALON, InternalReferenceId: reference });

  it('abc, ABC, ábc (both spellings) and "abc " are five payables with a session each', async () => {
    const sessions: string[] = [];
    for (const reference of REFERENCES) {
      sessions.push((await create(reference).expect(200)).body.SessionId as string);
    }
    expect(new Set(sessions).size).toBe(REFERENCES.length);
    const payables = await t.dataSource.getRepository(Payable).findBy({ companyId: SALON });
    expect(payables.map((p) => p.internalReferenceId).sort()).toEqual([...REFERENCES].sort());
    for (const [index, reference] of REFERENCES.entries()) {
      expect((await current(reference).expect(200)).body.SessionId).toBe(sessions[index]);
    }
  });

  it('a paid abc leaves ABC and "abc " payable', async () => {
    const sessionId = (await current('abc').expect(200)).body.SessionId as string;
    await t.emulator.pay(sessionId, { sendWebhook: false });
    expect((await current('abc').expect(200)).body.Status).toBe('complete');
    expect((await create('abc').expect(409)).body.ResponseStatus.ErrorCode).toBe('AlreadyPaid');
    await create('ABC').expect(200);
    await create('abc ').expect(200);
  });

  it('a SessionId that differs only in case is a 404, and Stripe is not asked', async () => {
    const sessionId = (await current('ABC').expect(200)).body.SessionId as string;
    const before = t.emulator.requests.length;
    const res = await t.http
      .post(`${CREATE}/status`)
      .set('x-api-key', 'demo-api-key')
      .send({ CompanyId: SALON, SessionId: sessionId.toUpperCase() })
      .expect(404);
    expect(res.body.ResponseStatus.ErrorCode).toBe('CheckoutNotFound');
    expect(t.emulator.requests.length).toBe(before);
  });

  it('two events whose ids differ only in case are two events', async () => {
    const deliver = (id: string) => {
      const payload = JSON.stringify({
        id,
        object: 'event',
        type: 'checkout.session.completed',
        data: { object: { id: 'cs_test_not_ours', object: 'checkout.session' } },
      });
      return t.http
        .post('/payment/stripe/v1/webhook')
        .set('Content-Type', 'application/json')
        .set('Stripe-Signature', sign(payload, WEBHOOK_SECRET))
        .send(payload)
        .expect(200);
    };
    const id = `evt_case_${Date.now()}`;
    expect((await deliver(id)).body.outcome).toBe('unknown-session');
    expect((await deliver(id.toUpperCase())).body.outcome).toBe('unknown-session');
    expect((await deliver(id)).body.outcome).toBe('duplicate');
  });
});

describe(`per-payable rate limits by the same identity (${TEST_DB})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ module: { rateLimit: { perKey: 0, perPayable: 2 } } });
  });
  afterAll(() => t.close());

  it('counts abc, ABC and "abc " apart', async () => {
    const create = (reference: string) =>
      t.http
        .post(CREATE)
        .set('x-api-key', 'demo-api-key')
        .send(salonCheckout({ InternalReferenceId: reference }));
    const statuses: number[] = [];
    for (const reference of ['rl-abc', 'rl-abc', 'rl-abc', 'RL-ABC', 'rl-abc ', 'rl-\u00e1bc']) {
      statuses.push((await create(reference)).status);
    }
    expect(statuses).toEqual([200, 200, 429, 200, 200, 200]);
  });
});
