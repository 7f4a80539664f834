// @ts-check
// The reads the service caches (API keys, companies, prices: 10 s by default), cached alike in
// the reference, so that both do the same database work per request.

const TTL_MS = 10_000;

/**
 * @param {import('./store.mjs').Store} store
 * @returns {import('./store.mjs').Store}
 */
export function withCachedSettings(store) {
  return {
    ...store,
    apiKey: cached((hash) => store.apiKey(hash)),
    company: cached((id) => store.company(id)),
    prices: cached2((companyId, country) => store.prices(companyId, country)),
  };
}

/**
 * @template T
 * @param {(key: string) => Promise<T>} load
 * @returns {(key: string) => Promise<T>}
 */
function cached(load) {
  /** @type {Map<string, { until: number, value: Promise<T> }>} */
  const entries = new Map();
  return (key) => {
    const hit = entries.get(key);
    if (hit && hit.until > Date.now()) return hit.value;
    const value = load(key);
    entries.set(key, { until: Date.now() + TTL_MS, value });
    value.catch(() => entries.delete(key));
    return value;
  };
}

/**
 * @template T
 * @param {(a: string, b: string) => Promise<T>} load
 * @returns {(a: string, b: string) => Promise<T>}
 */
function cached2(load) {
  const byKey = cached((/** @type {string} */ key) => {
    const [a, b] = JSON.parse(key);
    return load(a, b);
  });
  return (a, b) => byKey(JSON.stringify([a, b]));
}
