import { isIP } from 'node:net';

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
  const host = url.hostname.toLowerCase();
  const local = LOCAL_HOSTS.has(host);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local && !policy.production)) {
    return 'must use https (plain http only to localhost outside production)';
  }
  if (isPrivateAddress(host) && !(local && !policy.production)) {
    return 'must not point at a private, link-local or metadata address';
  }
  if (
    policy.allowlist &&
    !local &&
    !policy.allowlist.some((allowed) => allowed.toLowerCase() === host)
  ) {
    return `host ${host} is not on the company's redirect allowlist`;
  }
  return undefined;
}

function isPrivateAddress(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost') || host === 'metadata.google.internal')
    return true;
  const bare = host.replace(/^\[|\]$/g, '');
  const version = isIP(bare);
  if (version === 4) {
    const [a, b] = bare.split('.').map(Number);
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  if (version === 6) {
    return (
      bare === '::1' ||
      bare === '::' ||
      /^f[cd]/.test(bare) ||
      /^fe[89ab]/.test(bare) ||
      bare.startsWith('::ffff:')
    );
  }
  return false;
}
