import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { ConfigError, loadConfig } from './config/app-config.js';
import { ensureDatabaseExists } from './database/typeorm-options.js';
import { ReconciliationService } from 'bokamera-payments';

/** `npm run reconcile`: settles stuck checkouts once against the configured database and Stripe. */
async function main(): Promise<void> {
  const config = loadConfig();
  await ensureDatabaseExists(config.database);
  const app = await NestFactory.createApplicationContext(
    AppModule.forConfig(
      {
        ...config,
        reconcileIntervalMs: 0,
        retention: { ...config.retention, intervalMs: 0 },
        // Delivery stays with the service, whose handlers this context may not have.
        webhooks: { ...config.webhooks, pollIntervalMs: 0 },
      },
      {
        // Without a key this talks to the emulator `npm start` runs (development only).
        secretKey: config.stripe.secretKey ?? 'sk_test_emulator',
        timeoutMs: config.stripe.timeoutMs,
        maxNetworkRetries: config.stripe.maxNetworkRetries,
        apiUrl:
          config.stripe.apiUrl ??
          (config.stripe.secretKey ? undefined : `http://127.0.0.1:${config.emulator.port}`),
      },
    ),
    { logger: ['error', 'warn', 'log'] },
  );
  try {
    const report = await app.get(ReconciliationService).reconcile();
    console.log(`Reconciled: ${JSON.stringify(report)}`);
    process.exitCode = report.failed > 0 ? 2 : 0;
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(
    error instanceof ConfigError
      ? `Configuration error: ${error.message}`
      : `Reconciliation failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
