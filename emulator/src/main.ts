import { startStripeEmulator } from './emulator.js';

/** Standalone fake Stripe for local runs and benchmarks: `npm run emulator`. */
async function main(): Promise<void> {
  if (process.env.NODE_ENV === 'production') {
    console.error(
      'stripe-emulator: refusing to start with NODE_ENV=production (it is a fake Stripe for tests only)',
    );
    process.exit(1);
  }
  const port = Number(process.env.STRIPE_EMULATOR_PORT ?? 12111);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(
      `stripe-emulator: STRIPE_EMULATOR_PORT must be a port number, got "${process.env.STRIPE_EMULATOR_PORT}"`,
    );
    process.exit(1);
  }
  const quiet = process.env.STRIPE_EMULATOR_QUIET === '1';
  const emulator = await startStripeEmulator({
    port,
    host: process.env.STRIPE_EMULATOR_HOST || '127.0.0.1',
    publicUrl: process.env.STRIPE_EMULATOR_PUBLIC_URL || undefined,
    webhookUrl: process.env.STRIPE_EMULATOR_WEBHOOK_URL || undefined,
    webhookSecret: process.env.STRIPE_WEBHOOK_SECRET || undefined,
    faults: process.env.STRIPE_EMULATOR_FAULTS === '1',
    // Per-request lines are noise in benchmarks; lifecycle and webhook failures are always shown.
    logger: (line) => {
      if (!quiet || !line.includes(' -> ')) console.log(`[stripe-emulator] ${line}`);
    },
  });
  const rule = '!'.repeat(72);
  console.warn(
    [
      rule,
      '!!  STRIPE EMULATOR: this is NOT Stripe. No real payments, test keys only.',
      `!!  API: ${emulator.url}  (configure the stripe SDK with host/port/protocol http)`,
      `!!  Webhooks: ${process.env.STRIPE_EMULATOR_WEBHOOK_URL || 'none (events kept in memory)'}`,
      rule,
    ].join('\n'),
  );
  const stop = (): void => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(
    `stripe-emulator: failed to start: ${err instanceof Error ? err.message : String(err)}`,
  );
  process.exit(1);
});
