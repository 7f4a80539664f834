import { isIP } from 'node:net';
import { DEFAULT_RETRY_SCHEDULE_MS, parseRetrySchedule } from 'bokamera-payments';
import { ConfigError, parseDatabaseUrl, type DatabaseTarget } from './database-url.js';

export { ConfigError };

const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface AppConfig {
  nodeEnv: string;
  /** The address the service listens on: loopback only unless HOST says otherwise. */
  host: string;
  port: number;
  /**
   * The demo companies and API keys (among them `demo-platform-key`, valid for every company):
   * only with the bundled emulator (no STRIPE_SECRET_KEY) or when DEMO_DATA=1 asks for them.
   */
  demoData: boolean;
  httpAdapter: 'express' | 'fastify';
  database: DatabaseTarget;
  logLevel: LogLevel;
  stripe: {
    /** Unset outside production: the bundled emulator is started and used. */
    secretKey: string | undefined;
    apiUrl: string | undefined;
    webhookSecret: string | undefined;
    connectWebhookSecret: string | undefined;
    timeoutMs: number;
    maxNetworkRetries: number;
  };
  emulator: { port: number; webhookUrl: string | undefined };
  reconcileIntervalMs: number;
  creatingGraceMs: number;
  lockLeaseMarginMs: number;
  retention: { retentionDays: number; intervalMs: number; batchSize: number };
  webhooks: {
    retryScheduleMs: number[];
    timeoutMs: number;
    pollIntervalMs: number;
  };
  rateLimit: {
    perKey: number;
    perPayable: number;
    failedAuthPerAddress: number;
    windowMs: number;
    redisUrl: string | undefined;
  };
}

type Env = Record<string, string | undefined>;

/** Reads and validates the environment; throws a ConfigError with a one-line message. */
export function loadConfig(env: Env = process.env): AppConfig {
  const nodeEnv = env.NODE_ENV ?? 'development';
  const secretKey = optional(env.STRIPE_SECRET_KEY);
  if (nodeEnv === 'production' && !secretKey) {
    throw new ConfigError(
      'STRIPE_SECRET_KEY is required when NODE_ENV=production (the Stripe emulator is a development tool)',
    );
  }
  if (secretKey && !/^(sk|rk)_(test|live)_\w+$/.test(secretKey)) {
    throw new ConfigError(
      'STRIPE_SECRET_KEY: expected a key starting with sk_test_, sk_live_, rk_test_ or rk_live_',
    );
  }
  const webhookSecret = optional(env.STRIPE_WEBHOOK_SECRET);
  if (webhookSecret && !webhookSecret.startsWith('whsec_')) {
    throw new ConfigError('STRIPE_WEBHOOK_SECRET: expected a secret starting with whsec_');
  }
  const apiUrl = optional(env.STRIPE_API_URL);
  if (apiUrl) parseHttpUrl('STRIPE_API_URL', apiUrl);
  const logLevel = (env.LOG_LEVEL ?? 'log') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL: expected one of ${LOG_LEVELS.join(', ')}`);
  }
  // Fastify by default: the benchmark measured it well ahead of Express on the checkout path.
  const httpAdapter = optional(env.HTTP_ADAPTER) ?? 'fastify';
  if (httpAdapter !== 'express' && httpAdapter !== 'fastify') {
    throw new ConfigError('HTTP_ADAPTER: expected express or fastify');
  }
  return {
    nodeEnv,
    host: host(env.HOST),
    port: integer(env, 'PORT', 3000, 0, 65535),
    demoData: flag(env, 'DEMO_DATA') || !secretKey,
    httpAdapter,
    database: parseDatabaseUrl(env.DB_URL ?? 'sqlite:./data/payments.sqlite'),
    logLevel,
    stripe: {
      secretKey,
      apiUrl,
      webhookSecret,
      connectWebhookSecret: optional(env.STRIPE_CONNECT_WEBHOOK_SECRET),
      timeoutMs: integer(env, 'STRIPE_TIMEOUT_MS', 10_000, 100, 120_000),
      maxNetworkRetries: integer(env, 'STRIPE_MAX_NETWORK_RETRIES', 2, 0, 10),
    },
    emulator: {
      port: integer(env, 'STRIPE_EMULATOR_PORT', 12111, 0, 65535),
      webhookUrl: optional(env.STRIPE_EMULATOR_WEBHOOK_URL),
    },
    reconcileIntervalMs: integer(env, 'RECONCILE_INTERVAL_MS', 60_000, 1_000, 86_400_000),
    creatingGraceMs: integer(env, 'CREATING_GRACE_MS', 120_000, 0, 86_400_000),
    lockLeaseMarginMs: integer(env, 'LOCK_LEASE_MARGIN_MS', 10_000, 0, 3_600_000),
    retention: {
      retentionDays: integer(env, 'RETENTION_DAYS', 90, 1, 36_500),
      intervalMs: integer(env, 'RETENTION_INTERVAL_MS', 3_600_000, 0, 86_400_000),
      batchSize: integer(env, 'RETENTION_BATCH_SIZE', 500, 1, 10_000),
    },
    webhooks: {
      retryScheduleMs: retrySchedule(env.WEBHOOK_RETRY_SCHEDULE_MS),
      timeoutMs: integer(env, 'WEBHOOK_TIMEOUT_MS', 15_000, 100, 120_000),
      pollIntervalMs: integer(env, 'WEBHOOK_POLL_INTERVAL_MS', 1000, 10, 86_400_000),
    },
    rateLimit: {
      perKey: integer(env, 'RATE_LIMIT_PER_KEY', 1200, 0, 10_000_000),
      perPayable: integer(env, 'RATE_LIMIT_PER_PAYABLE', 30, 0, 10_000_000),
      failedAuthPerAddress: integer(env, 'RATE_LIMIT_FAILED_AUTH_PER_ADDRESS', 20, 0, 10_000_000),
      windowMs: integer(env, 'RATE_LIMIT_WINDOW_MS', 60_000, 1_000, 86_400_000),
      redisUrl: redisUrl(env.REDIS_URL),
    },
  };
}

function optional(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = optional(env[name]);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name}: expected an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function flag(env: Env, name: string): boolean {
  const raw = optional(env[name])?.toLowerCase();
  if (raw === undefined || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new ConfigError(`${name}: expected 1 or 0, got "${raw}"`);
}

/** An IP address (0.0.0.0 or :: for every interface) or a host name such as localhost. */
function host(raw: string | undefined): string {
  const value = optional(raw) ?? '127.0.0.1';
  if (isIP(value) === 0 && !/^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})$/.test(value)) {
    throw new ConfigError(`HOST: expected an IP address or a host name, got "${value}"`);
  }
  return value;
}

function retrySchedule(raw: string | undefined): number[] {
  const value = optional(raw);
  if (value === undefined) return [...DEFAULT_RETRY_SCHEDULE_MS];
  try {
    return parseRetrySchedule(value);
  } catch (error) {
    throw new ConfigError(`WEBHOOK_RETRY_SCHEDULE_MS: ${(error as Error).message}`);
  }
}

function redisUrl(raw: string | undefined): string | undefined {
  const value = optional(raw);
  if (value && !/^rediss?:\/\/[^/]/.test(value)) {
    throw new ConfigError('REDIS_URL: expected redis://host:port');
  }
  return value;
}

export function parseHttpUrl(name: string, raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name}: not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${name}: expected an http(s) URL`);
  }
  return url;
}
