import { ConfigError, loadConfig } from './config/app-config.js';
import { startService, type RunningService } from './bootstrap.js';
import { DEMO_COMPANIES } from './demo-data.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const service = await startService(config);
  stopGracefullyOn(['SIGTERM', 'SIGINT'], service);
  const salon = DEMO_COMPANIES[0];
  const body = JSON.stringify({
    CompanyId: salon.id,
    CountryCode: 'SE',
    Articles: [
      { ArticleId: 1, ArticleTypeId: 1, Quantity: 2 },
      { ArticleId: 2, ArticleTypeId: 1, Quantity: 1 },
    ],
    InternalReferenceId: 'booking-1001',
    UiMode: 'hosted',
  });
  console.log(`\nPayments service listening on ${service.url}`);
  console.log(`Swagger UI: ${service.url}/swagger-ui`);
  if (service.demoData) {
    console.log('Create a checkout (demo data):');
    console.log(
      `  curl -s -X POST ${service.url}/payment/stripe/v1/checkout -H 'Content-Type: application/json' -H 'x-api-key: ${salon.apiKey}' -d '${body}'\n`,
    );
  }
}

/** Drain, close, exit 0 on the first signal; a second one stops at once (an impatient Ctrl-C). */
function stopGracefullyOn(signals: NodeJS.Signals[], service: RunningService): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`${signal} received: finishing the requests in flight, then exiting`);
    service.shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`Shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  for (const signal of signals) process.on(signal, stop);
}

main().catch((error: unknown) => {
  console.error(`Failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
