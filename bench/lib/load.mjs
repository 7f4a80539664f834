// @ts-check
/* global performance, URLSearchParams, clearTimeout, setTimeout */
// Load generation: autocannon on loopback, the request of each scenario, and a probe that keeps
// the answers worth reporting (the payables answered 2xx, a few bodies of the others).
import autocannon from 'autocannon';

export const COMPANY_ID = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
export const CHECKOUT_PATH = '/payment/stripe/v1/checkout';
export const HEADERS = { 'content-type': 'application/json', 'x-api-key': 'demo-api-key' };
/** No run exceeds this, even if the server stalls. */
export const RUN_CAP_MS = 20_000;

/** @param {string} ref the payable's InternalReferenceId */
export function createBody(ref) {
  return JSON.stringify({
    CompanyId: COMPANY_ID,
    CountryCode: 'SE',
    Articles: [
      { ArticleId: 1, ArticleTypeId: 1, Quantity: 2 },
      { ArticleId: 2, ArticleTypeId: 1, Quantity: 1 },
    ],
    InternalReferenceId: ref,
    UiMode: 'hosted',
  });
}

/**
 * @typedef {object} Probe
 * @property {Record<string, string[]>} samples status → first bodies
 * @property {string[]} okRefs payables answered 2xx (the first 5000)
 * @property {number} lastResponseAt performance.now() of the last answer
 * @property {(status: number, body: string | undefined, ref: string) => void} onResponse
 */

/** @returns {Probe} */
export function newProbe() {
  /** @type {Probe} */
  const probe = {
    samples: {},
    okRefs: [],
    lastResponseAt: 0,
    onResponse(status, body, ref) {
      probe.lastResponseAt = performance.now();
      if (status >= 200 && status < 300) {
        if (probe.okRefs.length < 5000) probe.okRefs.push(ref);
        return;
      }
      const list = (probe.samples[status] ??= []);
      if (list.length < 3) list.push(String(body ?? '').slice(0, 600));
    },
  };
  return probe;
}

/**
 * The autocannon request of a scenario: `nextRef()` chooses the payable of each request.
 * @param {'create' | 'get'} kind
 * @param {() => string} nextRef
 * @param {Probe} probe
 */
function scenarioRequest(kind, nextRef, probe) {
  return {
    method: kind === 'get' ? 'GET' : 'POST',
    path: CHECKOUT_PATH,
    headers: HEADERS,
    /** @param {any} request @param {any} context */
    setupRequest(request, context) {
      const ref = nextRef();
      context.ref = ref;
      if (kind === 'create') return { ...request, body: createBody(ref) };
      const query = new URLSearchParams({ CompanyId: COMPANY_ID, InternalReferenceId: ref });
      return { ...request, path: `${CHECKOUT_PATH}?${query}` };
    },
    /** @param {number} status @param {string} body @param {any} context */
    onResponse(status, body, context) {
      probe.onResponse(status, body, context.ref);
    },
  };
}

/**
 * One autocannon run: for `durationS` seconds, or of `amount` requests.
 * @param {object} p
 * @param {string} p.url
 * @param {number} p.connections
 * @param {'create' | 'get'} p.kind
 * @param {() => string} p.nextRef
 * @param {Probe} p.probe
 * @param {number} [p.durationS]
 * @param {number} [p.amount]
 * @returns {Promise<any>} autocannon's result
 */
export function runLoad({ url, connections, kind, nextRef, probe, durationS, amount }) {
  const options = {
    url,
    connections,
    timeout: 15,
    requests: [scenarioRequest(kind, nextRef, probe)],
    ...(amount ? { amount } : { duration: durationS }),
  };
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (/** @type {any} */ error, /** @type {any} */ result) => {
      clearTimeout(cap);
      if (error) reject(error);
      else resolve(result);
    });
    const cap = setTimeout(() => instance.stop(), RUN_CAP_MS);
  });
}
