import { Redis } from 'ioredis';
import { SALON, startTestApp, type TestApp } from '../support/test-app.js';
import { TEST_DB } from '../support/test-database.js';

const CURRENT = '/payment/stripe/v1/checkout';
const query = { CompanyId: SALON, InternalReferenceId: 'no-such-booking' };

/** Item 11 of issue 10: guessing API keys is rate limited per client address. */
describe(`API key guessing (${TEST_DB})`, () => {
  const get = (t: TestApp, key?: string) => {
    const req = t.http.get(CURRENT).query(query);
    return key === undefined ? req : req.set('x-api-key', key);
  };
  const statuses = async (t: TestApp, keys: (string | undefined)[]) => {
    const result: number[] = [];
    for (const key of keys) result.push((await get(t, key)).status);
    return result;
  };

  describe('with one instance', () => {
    let t: TestApp;
    beforeAll(async () => {
      // perKey/perPayable are off so that only the failed-auth limit can answer 429.
      t = await startTestApp({
        module: { rateLimit: { failedAuthPerAddress: 5, perKey: 0, perPayable: 0 } },
      });
    });
    afterAll(() => t.close());

    it('answers 429 with Retry-After after 5 invalid keys, while a valid key keeps working', async () => {
      const guesses = ['guess-1', undefined, 'guess-3', '', 'guess-5'];
      expect(await statuses(t, guesses)).toEqual([401, 401, 401, 401, 401]);
      const blocked = await get(t, 'guess-6').expect(429);
      expect(blocked.body.ResponseStatus.ErrorCode).toBe('TooManyRequests');
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect((await get(t)).status).toBe(429);
      // A valid key is never counted nor blocked: the GET reaches the operation (404, nothing there).
      expect(await statuses(t, ['demo-api-key', 'demo-api-key', 'demo-platform-key'])).toEqual([
        404, 404, 404,
      ]);
      expect((await get(t, 'guess-7')).status).toBe(429);
    });
  });

  describe('switched off', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({
        module: { rateLimit: { failedAuthPerAddress: 0, perKey: 0, perPayable: 0 } },
      });
    });
    afterAll(() => t.close());

    it('answers every invalid key 401', async () => {
      const guesses = Array.from({ length: 30 }, (_, i) => `guess-${i}`);
      expect(new Set(await statuses(t, guesses))).toEqual(new Set([401]));
    });
  });

  describe('with two instances sharing Redis', () => {
    const redisUrl = 'redis://127.0.0.1:6379/8';
    let first: TestApp;
    let second: TestApp;
    beforeAll(async () => {
      const redis = new Redis(redisUrl);
      await redis.flushdb();
      redis.disconnect();
      const rateLimit = { failedAuthPerAddress: 4, perKey: 0, perPayable: 0, redisUrl };
      first = await startTestApp({ module: { rateLimit } });
      second = await startTestApp({
        db: first.db,
        emulator: first.emulator,
        module: { rateLimit },
      });
    });
    afterAll(async () => {
      await second.close();
      await first.close();
    });

    it('counts the failures of both', async () => {
      const seen: number[] = [];
      for (const app of [first, second, first, second, first, second]) {
        seen.push((await get(app, 'guess')).status);
      }
      expect(seen).toEqual([401, 401, 401, 401, 429, 429]);
      expect((await get(second, 'demo-api-key')).status).toBe(404);
    });
  });
});
