import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isLoopbackIp, isPrivateIp } from '../checkout/private-address.js';
import type { AttemptResult } from './delivery-outcome.js';
import { parseRetryAfter } from './retry-schedule.js';

/** What the attempts log keeps of an answer. */
export const ANSWER_BYTES = 1024;

export interface HttpAttempt extends AttemptResult {
  latencyMs: number;
  /** The first 1 KB of the answer, as text. */
  answer: string | null;
}

export interface AttemptOptions {
  /** Whether this host's loopback (127.0.0.0/8, ::1) may be connected to: outside production. */
  allowLoopback: boolean;
}

/** The endpoint's host is, or resolves to, an address deliveries never go to. */
class RefusedAddress extends Error {}

/**
 * One POST of a signed event: a 2xx is delivered; a redirect is not followed (a failure like any
 * other non-2xx); no answer within `timeoutMs` (headers and the first 1 KB) is a failure too.
 * The URL text was checked before; here the addresses the host resolves to are, and the connection
 * goes to the addresses checked, so a name pointing inside (or rebinding to) a private network
 * reaches nothing.
 */
export async function postEvent(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  stop: AbortSignal,
  options: AttemptOptions = { allowLoopback: false },
): Promise<HttpAttempt> {
  const started = Date.now();
  const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), stop]);
  try {
    const target = new URL(url);
    const literal = target.hostname.replace(/^\[|\]$/g, '');
    if (isIP(literal)) refuseUnlessAllowed(literal, [literal], options);
    const answer = await send(target, { 'content-type': 'application/json', ...headers }, body, {
      signal,
      lookup: checkedLookup(options),
    });
    return {
      delivered: answer.status >= 200 && answer.status < 300,
      status: answer.status,
      retryAfterMs: parseRetryAfter(answer.retryAfter, Date.now()),
      latencyMs: Date.now() - started,
      answer: answer.text,
    };
  } catch (error) {
    return {
      delivered: false,
      status: null,
      error: failureText(error, signal),
      latencyMs: Date.now() - started,
      answer: null,
    };
  }
}

interface Answer {
  status: number;
  retryAfter: string | null;
  text: string;
}

function send(
  url: URL,
  headers: Record<string, string>,
  body: string,
  options: { signal: AbortSignal; lookup: LookupFunction },
): Promise<Answer> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: 'POST', headers, ...options });
    outgoing.on('error', reject);
    outgoing.on('response', (response) => {
      firstBytes(response).then(
        (text) =>
          resolve({ status: response.statusCode ?? 0, retryAfter: retryAfter(response), text }),
        reject,
      );
    });
    outgoing.end(body);
  });
}

/**
 * Resolves every address of the host once and refuses the connection when any is private: the
 * socket connects to the addresses judged here, never to a second answer of the resolver.
 */
function checkedLookup({ allowLoopback }: AttemptOptions): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '');
      try {
        refuseUnlessAllowed(
          hostname,
          addresses.map(({ address }) => address),
          { allowLoopback },
        );
      } catch (refused) {
        return callback(refused as Error, '');
      }
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

function refuseUnlessAllowed(host: string, addresses: string[], options: AttemptOptions): void {
  const allowed = (address: string) =>
    !isPrivateIp(address) || (options.allowLoopback && isLoopbackIp(address));
  if (addresses.length === 0 || !addresses.every(allowed)) {
    throw new RefusedAddress(`refused: ${host} resolves to a private address`);
  }
}

function retryAfter(response: IncomingMessage): string | null {
  const value = response.headers['retry-after'];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

/** Reads no more than the first 1 KB; leaving the loop early closes the connection. */
async function firstBytes(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= ANSWER_BYTES) break;
  }
  const bytes = Buffer.concat(chunks).subarray(0, ANSWER_BYTES);
  // A multi-byte character cut at the 1 KB mark is dropped, not kept as a replacement character.
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes).replace(/\uFFFD$/, '');
}

function failureText(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) return 'timed out';
  if (error instanceof RefusedAddress) return error.message;
  const { code, message } = error as { code?: string; message?: string };
  return String(code ?? message ?? 'failed').slice(0, 500);
}
