import { setTimeout as sleep } from 'node:timers/promises';
import { TtlCache } from './ttl-cache.js';

describe('TtlCache', () => {
  it('loads once within the ttl, again after it and after invalidate', async () => {
    const cache = new TtlCache<number>(50);
    let loads = 0;
    const load = async () => ++loads;
    expect(await Promise.all([cache.get('a', load), cache.get('a', load)])).toEqual([1, 1]);
    await sleep(60);
    expect(await cache.get('a', load)).toBe(2);
    cache.invalidate('a');
    expect(await cache.get('a', load)).toBe(3);
  });

  it('does not keep a failed load', async () => {
    const cache = new TtlCache<number>(10_000);
    await expect(cache.get('a', () => Promise.reject(new Error('db down')))).rejects.toThrow(
      'db down',
    );
    expect(await cache.get('a', async () => 7)).toBe(7);
  });

  it('a ttl of 0 never caches', async () => {
    const cache = new TtlCache<number>(0);
    let loads = 0;
    await cache.get('a', async () => ++loads);
    expect(await cache.get('a', async () => ++loads)).toBe(2);
  });
});
