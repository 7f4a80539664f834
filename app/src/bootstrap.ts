import 'reflect-metadata';
import { Logger, type INestApplication, type LogLevel } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/app-config.js';
import { sqlStatsEnabled, sqlStatsSnapshot } from './database/query-counter.js';
import { ensureDatabaseExists } from './database/typeorm-options.js';
import { freeLoopbackPort } from './free-port.js';
import { createHttpApp } from './http-app.js';
import { HttpDrain } from './http-drain.js';
import { PaymentsAdminService, ReadinessService } from 'bokamera-payments';
import { provideDemoData } from './demo-data.js';
import type { PaymentsStripeOptions } from 'bokamera-payments';
import { startStripeEmulator, type StripeEmulator } from '@bokamera-payments/stripe-emulator';
import { setupSwagger } from 'bokamera-payments';

export interface RunningService {
  app: INestApplication;
  /** Where this machine reaches the service (a loopback address when it listens on all). */
  url: string;
  /** Whether the demo companies and keys are there (see `AppConfig.demoData`). */
  demoData: boolean;
  emulator: StripeEmulator | undefined;
  close(): Promise<void>;
  /** Graceful stop: not ready, no new connections, requests in flight answered, then close(). */
  shutdown(graceMs?: number): Promise<void>;
}

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Builds and starts the standalone service (used by main.ts and by the e2e suites). */
export async function startService(requested: AppConfig): Promise<RunningService> {
  const logger = new Logger('Payments');
  // The emulator sends its webhooks to our port, so it has to be known before either starts.
  const config = { ...requested, port: requested.port || (await freeLoopbackPort()) };
  const url = localUrl(config.host, config.port);
  await ensureDatabaseExists(config.database);
  const { stripe, emulator } = await stripeTarget(config, url, logger);
  let app: INestApplication | undefined;
  try {
    app = await createHttpApp(
      AppModule.forConfig(config, stripe),
      config.httpAdapter,
      LEVELS.slice(0, LEVELS.indexOf(config.logLevel) + 1),
    );
    if (sqlStatsEnabled()) {
      const http = app.getHttpAdapter(); // the benchmark reads the SQL statement count here
      http.get('/_stats', (_req: unknown, res: unknown) =>
        http.reply(res, sqlStatsSnapshot(), 200),
      );
    }
    await setupSwagger(app);
    // Before listening: no request may meet a demo key that is about to be switched off.
    await demoData(app, config, logger);
    await app.listen(config.port, config.host);
  } catch (error) {
    await app?.close().catch(() => undefined);
    await emulator?.close();
    throw error;
  }
  return running(app, url, config.demoData, emulator, logger);
}

/** Demo data only when asked for: see `AppConfig.demoData`. */
async function demoData(app: INestApplication, config: AppConfig, logger: Logger) {
  const outcome = await provideDemoData(app.get(PaymentsAdminService), config.demoData);
  if (outcome === 'seeded') logger.log('Seeded the demo companies, articles and API keys');
  if (outcome === 'disabled') {
    logger.warn('Deactivated the demo API keys found in the database (DEMO_DATA=1 keeps them)');
  }
  if (config.demoData && config.stripe.secretKey) {
    logger.warn('DEMO_DATA=1: the demo API keys are valid, the platform key for every company');
  }
}

/** The URL for this machine: an address that listens on every interface is reached on loopback. */
function localUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

function running(
  app: INestApplication,
  url: string,
  demoData: boolean,
  emulator: StripeEmulator | undefined,
  logger: Logger,
): RunningService {
  const drain = new HttpDrain(app.getHttpServer());
  const close = async () => {
    await app.close();
    await emulator?.close();
  };
  return {
    app,
    url,
    demoData,
    emulator,
    close,
    async shutdown(graceMs = 25_000) {
      app.get(ReadinessService).markShuttingDown();
      const inFlight = drain.requestsInFlight;
      logger.log(`Shutting down: waiting for ${inFlight} request(s) in flight`);
      if (!(await drain.drain(graceMs))) {
        logger.warn(`Requests still in flight after ${graceMs} ms were cut off`);
      }
      await close();
    },
  };
}

async function stripeTarget(
  config: AppConfig,
  serviceUrl: string,
  logger: Logger,
): Promise<{ stripe: PaymentsStripeOptions; emulator: StripeEmulator | undefined }> {
  if (config.stripe.secretKey) {
    return {
      stripe: {
        secretKey: config.stripe.secretKey,
        apiUrl: config.stripe.apiUrl,
        webhookSecret: config.stripe.webhookSecret,
        connectWebhookSecret: config.stripe.connectWebhookSecret,
        timeoutMs: config.stripe.timeoutMs,
        maxNetworkRetries: config.stripe.maxNetworkRetries,
      },
      emulator: undefined,
    };
  }
  // Development only (config refuses production without a key): the bundled emulator, and a
  // webhook secret shared by both sides so paying in the browser reaches our webhook.
  const webhookSecret =
    config.stripe.webhookSecret ?? `whsec_dev${randomBytes(16).toString('hex')}`;
  const emulator = await startStripeEmulator({
    port: config.emulator.port,
    webhookSecret,
    webhookUrl: config.emulator.webhookUrl ?? `${serviceUrl}/payment/stripe/v1/webhook`,
  });
  logger.warn(
    `STRIPE_SECRET_KEY is not set: using the Stripe EMULATOR at ${emulator.url} (not real Stripe)`,
  );
  return {
    stripe: {
      secretKey: 'sk_test_emulator',
      apiUrl: emulator.url,
      webhookSecret,
      timeoutMs: config.stripe.timeoutMs,
      maxNetworkRetries: config.stripe.maxNetworkRetries,
    },
    emulator,
  };
}
