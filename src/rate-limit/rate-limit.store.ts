import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';

export interface WindowCount {
  hits: number;
  /** Milliseconds until the window (and a block in it) ends. */
  resetMs: number;
}

/** Fixed-window hit counters: the first hit of a key opens its window. */
export interface RateLimitStore {
  hit(key: string, windowMs: number): Promise<WindowCount>;
}

export const RATE_LIMIT_STORE = Symbol('RATE_LIMIT_STORE');

/** One instance's counters. */
export class MemoryRateLimitStore implements RateLimitStore, OnApplicationShutdown {
  private readonly windows = new Map<string, { hits: number; endsAt: number }>();
  private readonly sweeper = setInterval(() => this.sweep(), 30_000).unref();

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    const now = Date.now();
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      window = { hits: 0, endsAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.hits++;
    return { hits: window.hits, resetMs: window.endsAt - now };
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }
}

const INCREMENT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return { hits, redis.call('PTTL', KEYS[1]) }`;

/**
 * Counters shared by every instance. When Redis does not answer, requests are let through:
 * a limiter outage must not stop payments.
 */
export class RedisRateLimitStore implements RateLimitStore, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');

  private constructor(private readonly redis: Redis) {
    this.redis.on('error', (error: Error) => this.logger.warn(`Redis: ${error.message}`));
  }

  /** `ioredis` is loaded only here: an optional peer, needed only with `rateLimit.redisUrl`. */
  static async connect(url: string): Promise<RedisRateLimitStore> {
    let ioredis: { Redis: typeof Redis };
    try {
      ioredis = await import('ioredis');
    } catch {
      throw new Error('rateLimit.redisUrl needs ioredis: npm install ioredis');
    }
    return new RedisRateLimitStore(
      new ioredis.Redis(url, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        commandTimeout: 500,
        keyPrefix: 'payments:rate:',
      }),
    );
  }

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    try {
      const [hits, resetMs] = (await this.redis.eval(INCREMENT, 1, key, String(windowMs))) as [
        number,
        number,
      ];
      return { hits, resetMs };
    } catch (error) {
      this.logger.warn(`Rate limit not checked: ${(error as Error).message}`);
      return { hits: 0, resetMs: 0 };
    }
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
