import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import Stripe from 'stripe';
import type { PaymentsStripeOptions } from '../payments.options.js';

/** One SDK client per process: pinned API version, bounded timeouts and retries, keep-alive. */
export function createStripeClient(options: PaymentsStripeOptions): Stripe {
  const target = options.apiUrl ? new URL(options.apiUrl) : undefined;
  const protocol = target?.protocol === 'http:' ? 'http' : 'https';
  const agentOptions = { keepAlive: true, maxSockets: 50 };
  return new Stripe(options.secretKey, {
    apiVersion: Stripe.API_VERSION as Stripe.LatestApiVersion,
    timeout: options.timeoutMs ?? 10_000,
    maxNetworkRetries: options.maxNetworkRetries ?? 2,
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
