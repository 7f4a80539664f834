import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { CheckoutApi } from './api-routes.js';
import { CheckoutService } from './checkout-service.js';
import { FaultRegistry } from './faults.js';
import { HeldRequests } from './held-requests.js';
import { defaultEmail } from './hosted-page.js';
import { createEmulatorServer } from './http-server.js';
import { IdempotencyStore } from './idempotency.js';
import { loadOpenApi } from './openapi.js';
import { RequestValidator } from './request-validator.js';
import { type SessionRecord, SessionStore } from './session-store.js';
import type {
  EmulatedSession,
  RecordedRequest,
  StripeEmulator,
  StripeEmulatorOptions,
  StripeEventSent,
} from './types.js';
import { WebhookSender } from './webhook-sender.js';

const DEFAULT_PORT = 12111;
const DEFAULT_SWEEP_MS = 1000;

export async function startStripeEmulator(
  opts: StripeEmulatorOptions = {},
): Promise<StripeEmulator> {
  const host = opts.host ?? '127.0.0.1';
  const log = opts.logger ?? (() => undefined);
  const clock = opts.clock ?? Date.now;
  const requests: RecordedRequest[] = [];
  const concurrency = { inFlight: 0, peak: 0 };
  const events: StripeEventSent[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let publicUrl = '';

  const validator = new RequestValidator(loadOpenApi());
  const store = new SessionStore();
  const webhooks = new WebhookSender(
    { url: opts.webhookUrl, secret: opts.webhookSecret, log },
    events,
  );
  const service = new CheckoutService(store, webhooks, clock, () => publicUrl);
  const idempotency = new IdempotencyStore();
  const faults = new FaultRegistry();
  const held = new HeldRequests();
  const server = createEmulatorServer({
    pipeline: {
      api: new CheckoutApi(service, validator),
      idempotency,
      faults,
      held,
      requests,
      concurrency,
      apiVersion: Stripe.API_VERSION,
      clock,
      log,
      timers,
    },
    service,
    faults,
    adminEnabled: opts.faults === true,
    log,
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? DEFAULT_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  publicUrl = (opts.publicUrl ?? url).replace(/\/+$/, '');

  const sweep = setInterval(() => {
    service.sweep();
    idempotency.prune(clock());
  }, opts.expirySweepMs ?? DEFAULT_SWEEP_MS);
  sweep.unref();

  log(`Stripe emulator listening on ${url} (NOT Stripe: test double, no real payments)`);
  if (opts.webhookUrl) log(`Stripe emulator: events are POSTed to ${opts.webhookUrl}`);

  const lookup = (id: string): SessionRecord => {
    const record = store.findAnyAccount(id);
    if (!record) throw new Error(`No such checkout.session: '${id}'`);
    return record;
  };
  let closing: Promise<void> | undefined;

  return {
    url,
    port,
    requests,
    events,
    concurrency,
    sessions: (account) => store.all(account).map(snapshot),
    async pay(sessionId, payOpts = {}) {
      const record = lookup(sessionId);
      service.complete(record, payOpts.email ?? defaultEmail(record), {
        deliver: payOpts.sendWebhook !== false,
        async: payOpts.async,
      });
      return snapshot(record);
    },
    async settleAsyncPayment(sessionId, outcome, eventOpts = {}) {
      if (outcome !== 'succeeded' && outcome !== 'failed') {
        throw new Error(`outcome must be 'succeeded' or 'failed', got ${JSON.stringify(outcome)}`);
      }
      const record = lookup(sessionId);
      service.settleAsync(record, outcome === 'succeeded', eventOpts.sendWebhook !== false);
      return snapshot(record);
    },
    async expire(sessionId, eventOpts = {}) {
      const record = lookup(sessionId);
      service.expire(record, undefined, eventOpts.sendWebhook !== false);
      return snapshot(record);
    },
    resendEvent: (eventId) => webhooks.resend(eventId),
    injectFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    waitForHeld: (timeoutMs) => held.next(timeoutMs),
    reset() {
      held.dropAll();
      store.clear();
      idempotency.clear();
      faults.clear();
      requests.length = 0;
      events.length = 0;
      concurrency.peak = concurrency.inFlight;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        clearInterval(sweep);
        held.close();
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        webhooks.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function snapshot(record: SessionRecord): EmulatedSession {
  return {
    ...structuredClone(record.session),
    account: record.account,
    payment_intent_metadata: { ...record.paymentIntentMetadata },
  };
}
