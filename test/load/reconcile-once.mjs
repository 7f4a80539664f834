// @ts-check
/* global URL */
// The final reconciliation of the load test, through the built app: its ReconciliationService on
// the configured database and Stripe (DB_URL, STRIPE_SECRET_KEY, STRIPE_API_URL), as `npm run
// reconcile` runs it, but as of a moment past the grace period, so that the rows the load just
// wrote count as stale. Passes repeat until one settles nothing. Prints one line:
// RECONCILED {"passes":n,"totals":{...}}
import { NestFactory } from '@nestjs/core';
import { ReconciliationService } from 'bokamera-payments';

// The built app, typed by its sources (the type check runs without a build).
const appDist = (/** @type {string} */ path) =>
  new URL(`../../app/dist/${path}`, import.meta.url).href;
/** @type {typeof import('../../app/src/app.module.js')} */
const { AppModule } = await import(appDist('app.module.js'));
/** @type {typeof import('../../app/src/config/app-config.js')} */
const { loadConfig } = await import(appDist('config/app-config.js'));

/** Past the service's grace period for stale rows (120 s), within a session's lifetime (60 min). */
const AHEAD_MS = 10 * 60_000;
const MAX_PASSES = 50;

const config = loadConfig();
const app = await NestFactory.createApplicationContext(
  AppModule.forConfig(
    { ...config, reconcileIntervalMs: 0 },
    {
      secretKey: config.stripe.secretKey ?? '',
      apiUrl: config.stripe.apiUrl,
      webhookSecret: config.stripe.webhookSecret,
    },
  ),
  { logger: ['error', 'warn'] },
);
try {
  const reconciliation = app.get(ReconciliationService);
  const asOf = new Date(Date.now() + AHEAD_MS);
  /** @type {Record<string, number>} */
  const totals = {};
  let passes = 0;
  while (passes < MAX_PASSES) {
    passes++;
    const report = /** @type {Record<string, number>} */ ({
      ...(await reconciliation.reconcile(asOf)),
    });
    for (const [name, n] of Object.entries(report)) totals[name] = (totals[name] ?? 0) + n;
    if (Object.values(report).every((n) => n === 0)) break;
  }
  console.log(`RECONCILED ${JSON.stringify({ passes, totals })}`);
} finally {
  await app.close();
}
