import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CheckoutService } from './checkout-service.js';
import { readBody, safeDecode } from './form.js';
import {
  completionRedirect,
  defaultEmail,
  renderCheckoutPage,
  renderMessagePage,
} from './hosted-page.js';
import { redirect, sendHtml } from './responses.js';

const PAGE_ROUTE = /^\/c\/pay\/([^/]+)(\/complete)?$/;

/** The hosted checkout page a customer is redirected to (GET) and its Pay button (POST). */
export async function handlePageRequest(
  service: CheckoutService,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<boolean> {
  const match = PAGE_ROUTE.exec(path);
  if (!match) return false;
  const record = service.store.findAnyAccount(safeDecode(match[1]));
  const isComplete = match[2] !== undefined;
  if (!record) {
    sendHtml(res, 404, renderMessagePage('Not found', 'This Checkout Session does not exist.'));
    return true;
  }
  if (!isComplete && req.method === 'GET') {
    sendHtml(res, 200, renderCheckoutPage(record));
    return true;
  }
  if (!isComplete || req.method !== 'POST') return false;

  const form = new URLSearchParams(await readBody(req));
  const status = record.session.status;
  if (status === 'expired') {
    sendHtml(res, 410, renderMessagePage('Session expired', 'This Checkout Session has expired.'));
    return true;
  }
  if (status === 'open') {
    const email = form.get('email')?.trim() || defaultEmail(record);
    service.complete(record, email);
  }
  // A second submit of an already paid session lands on the same success page.
  const location = completionRedirect(record);
  if (location) redirect(res, location);
  else
    sendHtml(res, 200, renderMessagePage('Payment complete', 'Thanks, your payment is complete.'));
  return true;
}
