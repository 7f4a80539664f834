/* global clearInterval, setInterval, setTimeout, structuredClone */
// The Stripe emulator as its own process for `npm run test:load` (the same shape as
// bench/emulator.mjs): forked by test/load/run.mjs, it reports { type: 'ready', url }, answers
// { type: 'counts' } over IPC with the /v1 requests it received (by endpoint and status) and
// exits when the IPC channel closes, so it never outlives the run.
import { startStripeEmulator } from '../../dist/src/stripe-emulator/index.js';

const emulator = await startStripeEmulator({
  port: 0,
  host: '127.0.0.1',
  // sessions live 60 min: the sweep never expires one during a run
  expirySweepMs: 5_000,
  // lifecycle lines only, not one per request
  logger: (line) => {
    if (!line.includes(' -> ')) console.log(`[load emulator] ${line}`);
  },
});

const counts = { v1: 0, inFlight: 0, byEndpoint: {}, byStatus: {} };
let pending = [];

// The emulator keeps every request in `requests`; drain it so memory stays flat.
function drain() {
  pending.push(...emulator.requests.splice(0));
  const stillOpen = [];
  for (const record of pending) {
    if (record.status === 0) {
      stillOpen.push(record);
      continue;
    }
    counts.v1++;
    const endpoint = `${record.method} ${record.path.replace(/\/cs_\w+/, '/{id}')}`;
    const key = `${endpoint} ${record.status}`;
    counts.byEndpoint[key] = (counts.byEndpoint[key] ?? 0) + 1;
    counts.byStatus[record.status] = (counts.byStatus[record.status] ?? 0) + 1;
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
