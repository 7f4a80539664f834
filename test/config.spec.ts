import { spawnSync } from 'node:child_process';
import { ConfigError, loadConfig } from '../app/src/config/app-config.js';

/** Runs the built service (npm test builds first) with an environment and no inherited secrets. */
function startWith(env: Record<string, string>) {
  return spawnSync('node', ['app/dist/main.js'], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
}

describe('configuration', () => {
  it.each([
    ['a malformed DB_URL', { DB_URL: 'postgres://x/y' }, /DB_URL: unsupported scheme "postgres"/],
    [
      'a mysql DB_URL without database',
      { DB_URL: 'mysql://root@127.0.0.1:3306/' },
      /DB_URL: mysql URL needs/,
    ],
    [
      'production without STRIPE_SECRET_KEY',
      { NODE_ENV: 'production' },
      /STRIPE_SECRET_KEY is required/,
    ],
    ['a bad PORT', { PORT: 'eighty' }, /PORT: expected an integer/],
    [
      'a bad WEBHOOK_RETRY_SCHEDULE_MS',
      { WEBHOOK_RETRY_SCHEDULE_MS: '0,5s' },
      /WEBHOOK_RETRY_SCHEDULE_MS: expected a comma list/,
    ],
  ])('%s exits 1 with a one-line message', (_name, env, message) => {
    const result = startWith(env);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });

  it('reads the webhook retry schedule, timeout and poll interval', () => {
    expect(loadConfig({}).webhooks).toEqual({
      retryScheduleMs: [0, 5000, 300000, 1800000, 7200000, 18000000, ...Array(7).fill(36000000)],
      timeoutMs: 15000,
      pollIntervalMs: 1000,
    });
    expect(
      loadConfig({
        WEBHOOK_RETRY_SCHEDULE_MS: '0, 100,200',
        WEBHOOK_TIMEOUT_MS: '1000',
        WEBHOOK_POLL_INTERVAL_MS: '50',
      }).webhooks,
    ).toEqual({ retryScheduleMs: [0, 100, 200], timeoutMs: 1000, pollIntervalMs: 50 });
    expect(() => loadConfig({ WEBHOOK_RETRY_SCHEDULE_MS: '-1' })).toThrow(ConfigError);
  });

  it('parses sqlite paths and mysql URLs', () => {
    expect(loadConfig({ DB_URL: 'sqlite::memory:' }).database).toEqual({
      kind: 'sqlite',
      path: ':memory:',
    });
    expect(loadConfig({ DB_URL: 'sqlite:/var/lib/payments/p.sqlite' }).database).toEqual({
      kind: 'sqlite',
      path: '/var/lib/payments/p.sqlite',
    });
    expect(loadConfig({}).database).toMatchObject({
      kind: 'sqlite',
      path: expect.stringMatching(/data\/payments\.sqlite$/),
    });
    expect(loadConfig({ DB_URL: 'mysql://root@127.0.0.1:3306/payments' }).database).toMatchObject({
      kind: 'mysql',
      database: 'payments',
    });
    expect(() => loadConfig({ STRIPE_SECRET_KEY: 'pk_test_x' })).toThrow(ConfigError);
  });

  it('reads retention from RETENTION_DAYS, RETENTION_INTERVAL_MS and RETENTION_BATCH_SIZE', () => {
    expect(loadConfig({}).retention).toEqual({
      retentionDays: 90,
      intervalMs: 3_600_000,
      batchSize: 500,
    });
    expect(
      loadConfig({ RETENTION_DAYS: '30', RETENTION_INTERVAL_MS: '0', RETENTION_BATCH_SIZE: '50' })
        .retention,
    ).toEqual({ retentionDays: 30, intervalMs: 0, batchSize: 50 });
    expect(() => loadConfig({ RETENTION_DAYS: '0' })).toThrow(
      /RETENTION_DAYS: expected an integer/,
    );
    expect(() => loadConfig({ RETENTION_BATCH_SIZE: '100000' })).toThrow(/RETENTION_BATCH_SIZE/);
  });
});
