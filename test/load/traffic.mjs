// @ts-check
/* global performance, URLSearchParams */
// The request load: on each instance, `connections` workers that each loop for the duration,
// picking a random hot payable and re-creating its checkout, reading it back (GET) or asking for
// a handed-out session's status, on keep-alive connections. Every answer goes to the ledger.
import http from 'node:http';
import { CHECKOUT_PATH, createBody } from './fixtures.mjs';
import { send } from './http-client.mjs';

const REQUEST_TIMEOUT_MS = 15_000;
/** Shares of the operations; the rest are creates. */
const GET_SHARE = 0.35;
const STATUS_SHARE = 0.15;

/**
 * @typedef {object} Instance
 * @property {string} name
 * @property {string} url
 */

/**
 * @param {object} p
 * @param {Instance[]} p.instances
 * @param {number} p.connectionsPerInstance
 * @param {number} p.durationMs
 * @param {import('./fixtures.mjs').HotPayables} p.hot
 * @param {import('./ledger.mjs').Ledger} p.ledger
 * @returns {Promise<{ elapsedMs: number }>}
 */
export async function runTraffic({ instances, connectionsPerInstance, durationMs, hot, ledger }) {
  const started = performance.now();
  const until = started + durationMs;
  const agents = instances.map(
    () => new http.Agent({ keepAlive: true, maxSockets: connectionsPerInstance }),
  );
  await Promise.all(
    instances.flatMap((instance, i) =>
      Array.from({ length: connectionsPerInstance }, () =>
        worker({ instance, agent: agents[i], until, hot, ledger }),
      ),
    ),
  );
  for (const agent of agents) agent.destroy();
  return { elapsedMs: performance.now() - started };
}

/**
 * @param {object} p
 * @param {Instance} p.instance
 * @param {http.Agent} p.agent
 * @param {number} p.until
 * @param {import('./fixtures.mjs').HotPayables} p.hot
 * @param {import('./ledger.mjs').Ledger} p.ledger
 */
async function worker({ instance, agent, until, hot, ledger }) {
  while (performance.now() < until) {
    // the slot may move to its next payable while this request is out: the answer belongs to this one
    const { company, ref, key } = hot.random();
    const { op, request } = nextRequest(company, ref, ledger.sessionsHandedOut(key));
    const sentAt = performance.now();
    const reply = await send(agent, instance.url, request, REQUEST_TIMEOUT_MS);
    ledger.record({ op, instance: instance.name, payable: key, sentAt }, reply);
  }
}

/**
 * @param {import('./fixtures.mjs').Company} company
 * @param {string} ref
 * @param {import('./ledger.mjs').HandedOut[]} handedOut the payable's sessions so far
 * @returns {{ op: import('./ledger.mjs').Operation, request: { method: string, path: string, headers: Record<string, string>, body?: string } }}
 */
function nextRequest(company, ref, handedOut) {
  const headers = { 'content-type': 'application/json', 'x-api-key': company.apiKey };
  const dice = Math.random();
  if (dice < GET_SHARE) {
    const query = new URLSearchParams({ CompanyId: company.id, InternalReferenceId: ref });
    return { op: 'get', request: { method: 'GET', path: `${CHECKOUT_PATH}?${query}`, headers } };
  }
  if (dice < GET_SHARE + STATUS_SHARE && handedOut.length) {
    const { sessionId } = handedOut[Math.floor(Math.random() * handedOut.length)];
    const body = JSON.stringify({ CompanyId: company.id, SessionId: sessionId });
    return {
      op: 'status',
      request: { method: 'POST', path: `${CHECKOUT_PATH}/status`, headers, body },
    };
  }
  return {
    op: 'create',
    request: { method: 'POST', path: CHECKOUT_PATH, headers, body: createBody(company, ref) },
  };
}
