import { isPrivateHost } from './private-address.js';

export interface RedirectPolicy {
  production: boolean;
  /** Hosts allowed for this company; null = any public host. */
  allowlist: string[] | null;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Returns why a confirmation/cancel URL is refused, or undefined when it is fine. The service never
 * fetches these URLs; the checks stop open redirects and links into private networks.
 */
export function redirectUrlProblem(raw: string, policy: RedirectPolicy): string | undefined {
  if (raw.length > 2048) return 'must be at most 2048 characters';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\\\s\u0000-\u001f]/.test(raw))
    return 'must not contain backslashes, spaces or control characters';
  if (!/^https?:\/\/[^/]/i.test(raw)) return 'must be an absolute https URL';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute https URL';
  }
  if (url.username || url.password) return 'must not contain credentials';
  // `localhost.` and `shop.example.com.` are the same hosts as without the final dot.
  const host = url.hostname.toLowerCase().replace(/\.+$/, '');
  const local = LOCAL_HOSTS.has(host);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local && !policy.production)) {
    return 'must use https (plain http only to localhost outside production)';
  }
  if (isPrivateHost(host) && !(local && !policy.production)) {
    return 'must not point at a private, link-local or metadata address';
  }
  if (
    policy.allowlist &&
    !local &&
    !policy.allowlist.some((allowed) => allowed.toLowerCase().replace(/\.+$/, '') === host)
  ) {
    return `host ${host} is not on the company's redirect allowlist`;
  }
  return undefined;
}
