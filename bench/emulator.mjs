/* global clearInterval, setInterval, setTimeout, structuredClone */
// The Stripe emulator as its own process for the benchmark, with a request counter.
// Started by bench/run.mjs through child_process.fork: it answers { type: 'counts' } over the IPC
// channel and exits when the channel closes (so it never outlives the bench).
import { startStripeEmulator } from '../dist/src/stripe-emulator/index.js';

const emulator = await startStripeEmulator({
  port: Number(process.env.STRIPE_EMULATOR_PORT ?? 0),
  host: '127.0.0.1',
  expirySweepMs: 5_000,
});

/** Totals of every /v1 request received so far, by "METHOD endpoint" and by answer status. */
const counts = { v1: 0, byEndpoint: {}, byStatus: {} };
const pending = [];

// The emulator keeps every request in `requests`; drain it so a long run does not grow memory.
function drain() {
  const taken = emulator.requests.splice(0);
  pending.push(...taken);
  const stillOpen = [];
  for (const record of pending) {
    if (record.status === 0) {
      stillOpen.push(record);
      continue;
    }
    counts.byStatus[record.status] = (counts.byStatus[record.status] ?? 0) + 1;
  }
  for (const record of taken) {
    counts.v1++;
    const endpoint = `${record.method} ${record.path.replace(/\/cs_\w+/, '/{id}')}`;
    counts.byEndpoint[endpoint] = (counts.byEndpoint[endpoint] ?? 0) + 1;
  }
  pending.length = 0;
  pending.push(...stillOpen);
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
