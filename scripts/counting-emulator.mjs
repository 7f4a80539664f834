// @ts-check
/* global clearInterval, setInterval, setTimeout, structuredClone */
// The Stripe emulator as its own process, with request counters, for `npm run bench` and
// `npm run test:load`. Forked by them: it reports { type: 'ready', url }, answers
// { type: 'counts', id } over IPC and exits when the IPC channel closes, so it never outlives them.
// COUNTING_EMULATOR_WEBHOOK_URL / _SECRET: where its signed events go (none: kept, not sent).
// COUNTING_EMULATOR_EXPIRE_DELAY_MS: every expire is held that long before it takes effect, as a
// real Stripe round trip would (the earlier session stays payable meanwhile).
import { startStripeEmulator } from '@bokamera-payments/stripe-emulator';

/** @typedef {import('@bokamera-payments/stripe-emulator').RecordedRequest} RecordedRequest */
/** @typedef {import('@bokamera-payments/stripe-emulator').StripeEventSent} StripeEventSent */

const label = process.env.COUNTING_EMULATOR_LABEL ?? 'emulator';
const emulator = await startStripeEmulator({
  port: Number(process.env.STRIPE_EMULATOR_PORT ?? 0),
  host: '127.0.0.1',
  expirySweepMs: 5_000,
  webhookUrl: process.env.COUNTING_EMULATOR_WEBHOOK_URL || undefined,
  webhookSecret: process.env.COUNTING_EMULATOR_WEBHOOK_SECRET || undefined,
  // lifecycle lines only, not one per request
  logger: (line) => {
    if (!line.includes(' -> ')) console.log(`[${label}] ${line}`);
  },
});

const expireDelayMs = Number(process.env.COUNTING_EMULATOR_EXPIRE_DELAY_MS ?? 0);
if (expireDelayMs > 0)
  emulator.injectFault({
    kind: 'delay',
    method: 'POST',
    path: '^/v1/checkout/sessions/[^/]+/expire$',
    ms: expireDelayMs,
    times: Number.MAX_SAFE_INTEGER,
  });

/**
 * Every /v1 request: `v1` and `byEndpoint` ("METHOD endpoint") count them as they arrive;
 * `byStatus` and `byEndpointStatus` ("METHOD endpoint status") once answered; `inFlight` the rest.
 * `webhooks`: deliveries of the emulator's events, pending until answered 2xx or given up.
 * @type {import('./child-processes.mjs').EmulatorCounts}
 */
const counts = {
  v1: 0,
  inFlight: 0,
  byEndpoint: {},
  byStatus: {},
  byEndpointStatus: {},
  webhooks: { pending: 0, delivered: 0, failed: 0 },
};
/** @type {RecordedRequest[]} */
let pending = [];
/** @param {Record<string, number>} table @param {string | number} key */
const add = (table, key) => (table[key] = (table[key] ?? 0) + 1);
/** @param {RecordedRequest} record */
const endpointOf = (record) => `${record.method} ${record.path.replace(/\/cs_\w+/, '/{id}')}`;

// The emulator keeps every request in `requests` and every event in `events`; both are drained
// into the counters so memory stays flat.
function drain() {
  const arrived = emulator.requests.splice(0);
  for (const record of arrived) {
    counts.v1++;
    add(counts.byEndpoint, endpointOf(record));
  }
  const stillOpen = [];
  for (const record of [...pending, ...arrived]) {
    if (record.status === 0) {
      stillOpen.push(record);
      continue;
    }
    add(counts.byStatus, record.status);
    add(counts.byEndpointStatus, `${endpointOf(record)} ${record.status}`);
  }
  pending = stillOpen;
  counts.inFlight = pending.length;
  drainEvents();
}

function drainEvents() {
  /** @type {StripeEventSent[]} */
  const undecided = [];
  for (const event of emulator.events.splice(0)) {
    if (event.delivery === 'pending') undecided.push(event);
    else if (event.delivery === 'delivered') counts.webhooks.delivered++;
    else if (event.delivery === 'failed') counts.webhooks.failed++;
  }
  emulator.events.push(...undecided);
  counts.webhooks.pending = undecided.length;
}
const timer = setInterval(drain, 250);

process.on('message', (/** @type {any} */ message) => {
  if (message?.type === 'counts') {
    drain();
    process.send?.({ type: 'counts', id: message.id, counts: structuredClone(counts) });
  }
});

const stop = () => {
  clearInterval(timer);
  void emulator.close().then(() => process.exit(0));
  setTimeout(() => process.exit(0), 2_000).unref();
};
process.on('disconnect', stop);
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

process.send?.({ type: 'ready', url: emulator.url });
