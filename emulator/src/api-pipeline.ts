import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CheckoutApi } from './api-routes.js';
import type { FaultRegistry } from './faults.js';
import type { HeldRequests } from './held-requests.js';
import { decodeForm, formFingerprint, readBody } from './form.js';
import { IdempotencyStore, type StoredResponse } from './idempotency.js';
import { randomId } from './ids.js';
import { sendJson, type Headers } from './responses.js';
import {
  accountAccessDenied,
  apiError,
  authenticationFailed,
  rateLimited,
  StripeHttpError,
} from './stripe-errors.js';
import type { ApiConcurrency, FaultSpec, RecordedRequest } from './types.js';

export interface PipelineDeps {
  api: CheckoutApi;
  idempotency: IdempotencyStore;
  faults: FaultRegistry;
  held: HeldRequests;
  requests: RecordedRequest[];
  concurrency: ApiConcurrency;
  apiVersion: string;
  clock: () => number;
  log: (line: string) => void;
  /** delays ('delay' faults) register here so close() can cancel them */
  timers: Set<NodeJS.Timeout>;
}

interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  record: RecordedRequest;
  headers: Headers;
  startedMs: number;
}

/** One /v1 request: auth, recording, faults, idempotency, then the endpoint itself. */
export async function handleApiRequest(
  deps: PipelineDeps,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: string,
): Promise<void> {
  const method = req.method ?? 'GET';
  const requestId = randomId('req_', 14);
  countInFlight(deps.concurrency, res);
  let body = '';
  if (method !== 'GET' && method !== 'DELETE') {
    try {
      body = await readBody(req);
    } catch (err) {
      const { status, body: errorBody } = errorResponse(deps, err, requestId);
      sendJson(res, status, errorBody, { 'Request-Id': requestId });
      return;
    }
  }
  const record: RecordedRequest = {
    method,
    path,
    account: headerValue(req, 'stripe-account'),
    idempotencyKey: method === 'POST' ? headerValue(req, 'idempotency-key') : null,
    params: decodeForm(method === 'GET' ? query : body),
    requestId,
    status: 0,
  };
  deps.requests.push(record);
  const versionHeader = headerValue(req, 'stripe-version') ?? deps.apiVersion;
  const headers: Headers = { 'Request-Id': requestId, 'Stripe-Version': versionHeader };
  const ex: Exchange = { req, res, record, headers, startedMs: Date.now() };
  try {
    authorize(req, record.account);
    const fault = deps.faults.take(method, path);
    if (fault && answerFault(deps, ex, fault)) return;
    await execute(deps, ex, body, fault);
  } catch (err) {
    respond(deps, ex, errorResponse(deps, err, requestId));
  }
}

function authorize(req: IncomingMessage, account: string | null): void {
  const key = apiKey(req);
  if (key === null || !key.startsWith('sk_test_') || key.length <= 'sk_test_'.length) {
    throw authenticationFailed(key);
  }
  if (account !== null && !/^acct_[A-Za-z0-9]+$/.test(account)) {
    throw accountAccessDenied(key, account);
  }
}

/** Returns true when the fault fully answered (or deliberately never answers) the request. */
function answerFault(deps: PipelineDeps, ex: Exchange, fault: FaultSpec): boolean {
  switch (fault.kind) {
    case '500':
    case 'expire-fail':
      throw apiError();
    case '429':
    case '429-no-retry':
      throw rateLimited(fault.kind === '429');
    case 'hang':
      deps.log(`${ex.record.method} ${ex.record.path} fault=hang (no answer)`);
      return true;
    default:
      return false;
  }
}

async function execute(
  deps: PipelineDeps,
  ex: Exchange,
  body: string,
  fault?: FaultSpec,
): Promise<void> {
  const response =
    ex.record.idempotencyKey === null
      ? await processRequest(deps, ex, fault)
      : await processIdempotently(deps, ex, body, fault);
  if (response === null) return dropConnection(deps, ex, 'held request dropped');
  if (fault?.kind === 'hold' && fault.stage === 'after') {
    if ((await deps.held.hold(ex.record, 'after')) === 'drop') {
      return dropConnection(deps, ex, 'held answer dropped');
    }
  }
  if (fault?.kind === 'reset-after-create') {
    return dropConnection(deps, ex, `${response.status} fault=reset-after-create`);
  }
  respond(deps, ex, response);
}

/** Stripe's idempotency around `processRequest`: replays, and the key stays in flight meanwhile. */
async function processIdempotently(
  deps: PipelineDeps,
  ex: Exchange,
  body: string,
  fault?: FaultSpec,
): Promise<StoredResponse | null> {
  const { record } = ex;
  const key = record.idempotencyKey ?? '';
  const endpoint = `${record.method} ${record.path}`;
  const fingerprint = formFingerprint(body);
  const scoped = IdempotencyStore.scope(record.account, key);
  IdempotencyStore.checkKey(key);
  const replay = deps.idempotency.begin(scoped, key, endpoint, fingerprint);
  if (replay) {
    ex.headers['Idempotent-Replayed'] = 'true';
    ex.headers['Original-Request'] = replay.requestId;
    return (await holdBefore(deps, ex, fault)) ? replay : null;
  }
  let response: StoredResponse | null = null;
  try {
    response = await processRequest(deps, ex, fault);
  } finally {
    deps.idempotency.finish(scoped, endpoint, fingerprint, response, deps.clock());
  }
  return response;
}

/** Runs the endpoint, after a 'before' hold or a delay; null when the held request was dropped. */
async function processRequest(
  deps: PipelineDeps,
  ex: Exchange,
  fault?: FaultSpec,
): Promise<StoredResponse | null> {
  if (!(await holdBefore(deps, ex, fault))) return null;
  if (fault?.kind === 'delay') await sleep(deps, fault.ms ?? 0);
  return run(deps, ex);
}

/** False when the test dropped the held request. */
async function holdBefore(deps: PipelineDeps, ex: Exchange, fault?: FaultSpec): Promise<boolean> {
  if (fault?.kind !== 'hold' || fault.stage === 'after') return true;
  return (await deps.held.hold(ex.record, 'before')) === 'release';
}

function dropConnection(deps: PipelineDeps, ex: Exchange, why: string): void {
  deps.log(`${ex.record.method} ${ex.record.path}: ${why} (connection dropped)`);
  ex.req.socket.destroy();
}

function run(deps: PipelineDeps, ex: Exchange): StoredResponse {
  const { record } = ex;
  try {
    // Validation coerces in place; the recorded params stay as the client sent them.
    const params = structuredClone(record.params);
    const result = deps.api.handle({ ...record, params });
    return {
      status: result.status,
      body: JSON.stringify(result.body),
      requestId: record.requestId,
    };
  } catch (err) {
    return errorResponse(deps, err, record.requestId);
  }
}

function errorResponse(
  deps: PipelineDeps,
  err: unknown,
  requestId: string,
): StoredResponse & { extraHeaders?: Headers } {
  if (err instanceof StripeHttpError) {
    return {
      status: err.status,
      body: JSON.stringify(err.body()),
      requestId,
      extraHeaders: err.headers,
    };
  }
  deps.log(`internal error: ${err instanceof Error ? err.stack : String(err)}`);
  return { status: 500, body: JSON.stringify(apiError().body()), requestId };
}

function respond(
  deps: PipelineDeps,
  ex: Exchange,
  response: StoredResponse & { extraHeaders?: Headers },
): void {
  ex.record.status = response.status;
  const headers = response.extraHeaders ? { ...ex.headers, ...response.extraHeaders } : ex.headers;
  if (ex.res.destroyed || ex.res.headersSent) return;
  sendJson(ex.res, response.status, response.body, headers);
  deps.log(
    `${ex.record.method} ${ex.record.path} -> ${response.status}` +
      `${ex.record.account ? ` [${ex.record.account}]` : ''} ${Date.now() - ex.startedMs}ms`,
  );
}

function sleep(deps: PipelineDeps, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      deps.timers.delete(timer);
      resolve();
    }, ms);
    deps.timers.add(timer);
  });
}

function headerValue(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? null : first;
}

function apiKey(req: IncomingMessage): string | null {
  const auth = headerValue(req, 'authorization');
  if (auth === null) return null;
  if (/^bearer /i.test(auth)) return auth.slice(7).trim() || null;
  if (/^basic /i.test(auth)) {
    return Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':')[0] || null;
  }
  return auth.trim() || null;
}

/** Until the answer is sent or the connection closes (a hang or a drop counts while it lasts). */
function countInFlight(concurrency: ApiConcurrency, res: ServerResponse): void {
  concurrency.inFlight++;
  concurrency.peak = Math.max(concurrency.peak, concurrency.inFlight);
  res.once('close', () => concurrency.inFlight--);
}
