import type { IncomingMessage } from 'node:http';
import qs from 'qs';
import { invalidRequest } from './stripe-errors.js';

const MAX_BODY_BYTES = 1024 * 1024;

// Stripe accepts up to 100 line items and deeply nested options; qs defaults (20 / 5 / 1000) are too small.
const QS_OPTIONS: qs.IParseOptions = {
  depth: 20,
  arrayLimit: 1000,
  parameterLimit: 20000,
  allowPrototypes: false,
};

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Keep draining instead of destroying the socket, so the client still gets an answer.
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) reject(invalidRequest('Request body too large.'));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

/** Decodes Stripe's bracket notation (`line_items[0][price_data][unit_amount]=45000`). */
export function decodeForm(encoded: string): Record<string, unknown> {
  if (encoded === '') return {};
  return qs.parse(encoded, QS_OPTIONS) as Record<string, unknown>;
}

/** Same params in any order encode to the same fingerprint (idempotency comparisons). */
export function formFingerprint(encoded: string): string {
  if (encoded === '') return '';
  return encoded.split('&').sort().join('&');
}

export function splitUrl(url: string): { path: string; query: string } {
  const q = url.indexOf('?');
  return q === -1 ? { path: url, query: '' } : { path: url.slice(0, q), query: url.slice(q + 1) };
}

export function safeDecode(component: string): string {
  try {
    return decodeURIComponent(component);
  } catch {
    return component;
  }
}
