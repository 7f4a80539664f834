import 'reflect-metadata';
import { Logger, type INestApplication, type LogLevel } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/app-config.js';
import { sqlStatsEnabled, sqlStatsSnapshot } from './database/query-counter.js';
import { ensureDatabaseExists } from './database/typeorm-options.js';
import { createHttpApp } from './http-app.js';
import { HttpDrain } from './http-drain.js';
import { ReadinessService, seedDemoData } from './payments/index.js';
import type { PaymentsStripeOptions } from './payments/index.js';
import { startStripeEmulator, type StripeEmulator } from './stripe-emulator/index.js';
import { setupSwagger } from './swagger.js';

export interface RunningService {
  app: INestApplication;
  url: string;
  emulator: StripeEmulator | undefined;
  close(): Promise<void>;
  /** Graceful stop: not ready, no new connections, requests in flight answered, then close(). */
  shutdown(graceMs?: number): Promise<void>;
}

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Builds and starts the standalone service (used by main.ts and by the e2e suites). */
export async function startService(config: AppConfig): Promise<RunningService> {
  const logger = new Logger('Payments');
  await ensureDatabaseExists(config.database);
  const { stripe, emulator } = await stripeTarget(config, logger);
  const app = await createHttpApp(
    AppModule.forConfig(config, stripe),
    config.httpAdapter,
    LEVELS.slice(0, LEVELS.indexOf(config.logLevel) + 1),
  );
  if (sqlStatsEnabled()) {
    const http = app.getHttpAdapter(); // the benchmark reads the SQL statement count here
    http.get('/_stats', (_req: unknown, res: unknown) => http.reply(res, sqlStatsSnapshot(), 200));
  }
  setupSwagger(app);
  await app.listen(config.port, '0.0.0.0');
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  const drain = new HttpDrain(app.getHttpServer());
  if (config.nodeEnv !== 'production') {
    const seeded = await seedDemoData(app.get<DataSource>(getDataSourceToken()));
    if (seeded) logger.log('Seeded the demo companies, articles and API keys');
  }
  const close = async () => {
    await app.close();
    await emulator?.close();
  };
  return {
    app,
    url,
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
  logger: Logger,
): Promise<{ stripe: PaymentsStripeOptions; emulator: StripeEmulator | undefined }> {
  if (config.stripe.secretKey) {
    return {
      stripe: {
        secretKey: config.stripe.secretKey,
        apiUrl: config.stripe.apiUrl,
        webhookSecret: config.stripe.webhookSecret,
        connectWebhookSecret: config.stripe.connectWebhookSecret,
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
    webhookUrl:
      config.emulator.webhookUrl ?? `http://127.0.0.1:${config.port}/payment/stripe/v1/webhook`,
  });
  logger.warn(
    `STRIPE_SECRET_KEY is not set: using the Stripe EMULATOR at ${emulator.url} (not real Stripe)`,
  );
  return {
    stripe: { secretKey: 'sk_test_emulator', apiUrl: emulator.url, webhookSecret },
    emulator,
  };
}
