import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import Stripe from 'stripe';
import type { PaymentsStripeOptions } from '../payments.options.js';

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_RETRIES = 2;
/** The SDK's backoff between attempts: 0.5 s doubling, at most 5 s. */
const SDK_FIRST_RETRY_DELAY_MS = 500;
const SDK_MAX_RETRY_DELAY_MS = 5_000;

/** The longest one SDK call can take: every attempt times out, with the SDK's backoff between. */
export function stripeCallWorstCaseMs(options: PaymentsStripeOptions): number {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const retries = options.maxNetworkRetries ?? DEFAULT_RETRIES;
  let backoffMs = 0;
  for (let retry = 0; retry < retries; retry++) {
    backoffMs += Math.min(SDK_FIRST_RETRY_DELAY_MS * 2 ** retry, SDK_MAX_RETRY_DELAY_MS);
  }
  return (retries + 1) * timeoutMs + backoffMs;
}

/** One SDK client per process: pinned API version, bounded timeouts and retries, keep-alive. */
export function createStripeClient(options: PaymentsStripeOptions): Stripe {
  const target = options.apiUrl ? new URL(options.apiUrl) : undefined;
  const protocol = target?.protocol === 'http:' ? 'http' : 'https';
  const agentOptions = { keepAlive: true, maxSockets: 50 };
  return new Stripe(options.secretKey, {
    apiVersion: Stripe.API_VERSION as Stripe.LatestApiVersion,
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxNetworkRetries: options.maxNetworkRetries ?? DEFAULT_RETRIES,
    httpAgent: protocol === 'http' ? new HttpAgent(agentOptions) : new HttpsAgent(agentOptions),
    telemetry: false,
    appInfo: { name: 'bokamera-payments' },
    ...(target && {
      host: target.hostname,
      port: target.port ? Number(target.port) : protocol === 'http' ? 80 : 443,
      protocol,
    }),
  });
}
