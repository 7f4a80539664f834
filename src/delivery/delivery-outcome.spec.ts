import { decide } from './delivery-outcome.js';

describe('a delivery after an attempt', () => {
  const schedule = [0, 100, 1000];
  const noJitter = () => 0;

  it('is delivered on any 2xx', () => {
    for (const status of [200, 201, 204, 299]) {
      expect(decide({ delivered: true, status }, 1, schedule)).toEqual({ state: 'delivered' });
    }
  });

  it('is retried on an error, no answer, or a redirect, after the next delay', () => {
    for (const status of [500, 404, 302, 301, null]) {
      expect(decide({ delivered: false, status }, 1, schedule, noJitter)).toEqual({
        state: 'pending',
        delayMs: 100,
      });
    }
    expect(decide({ delivered: false, status: 503 }, 2, schedule, noJitter)).toEqual({
      state: 'pending',
      delayMs: 1000,
    });
  });

  it('waits as long as Retry-After asks when that is longer', () => {
    expect(
      decide({ delivered: false, status: 429, retryAfterMs: 5000 }, 1, schedule, noJitter),
    ).toEqual({
      state: 'pending',
      delayMs: 5000,
    });
  });

  it('is given up once the schedule is spent', () => {
    expect(decide({ delivered: false, status: 500 }, 3, schedule)).toEqual({ state: 'failed' });
  });

  it('is given up and disables the endpoint on a 410', () => {
    expect(decide({ delivered: false, status: 410 }, 1, schedule)).toEqual({
      state: 'failed',
      disableEndpoint: true,
    });
  });
});
