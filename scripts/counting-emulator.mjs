/* global clearInterval, setInterval, setTimeout, structuredClone */
// The Stripe emulator as its own process, with request counters, for `npm run bench` and
// `npm run test:load`. Forked by them: it reports { type: 'ready', url }, answers
// { type: 'counts', id } over IPC and exits when the IPC channel closes, so it never outlives them.
import { startStripeEmulator } from '../emulator/dist/index.js';

const label = process.env.COUNTING_EMULATOR_LABEL ?? 'emulator';
const emulator = await startStripeEmulator({
  port: Number(process.env.STRIPE_EMULATOR_PORT ?? 0),
  host: '127.0.0.1',
  expirySweepMs: 5_000,
  // lifecycle lines only, not one per request
  logger: (line) => {
    if (!line.includes(' -> ')) console.log(`[${label}] ${line}`);
  },
});

/**
 * Every /v1 request: `v1` and `byEndpoint` ("METHOD endpoint") count them as they arrive;
 * `byStatus` and `byEndpointStatus` ("METHOD endpoint status") once answered; `inFlight` the rest.
 */
const counts = { v1: 0, inFlight: 0, byEndpoint: {}, byStatus: {}, byEndpointStatus: {} };
let pending = [];
const add = (table, key) => (table[key] = (table[key] ?? 0) + 1);
const endpointOf = (record) => `${record.method} ${record.path.replace(/\/cs_\w+/, '/{id}')}`;

// The emulator keeps every request in `requests`; drain it so memory stays flat.
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
}
const timer = setInterval(drain, 250);

process.on('message', (message) => {
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
