import { isIP } from 'node:net';

/** Four octets of an IPv4 address. */
export type Ipv4 = [number, number, number, number];
/** Eight 16-bit groups of an IPv6 address. */
export type Ipv6 = number[];

export function parseIpv4(text: string): Ipv4 | undefined {
  if (isIP(text) !== 4) return undefined;
  return text.split('.').map(Number) as Ipv4;
}

/**
 * `::ffff:7f00:1` → [0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]. Accepts a dotted IPv4 tail
 * (`::ffff:127.0.0.1`) too, although the WHATWG URL parser always writes hex groups.
 */
export function parseIpv6(text: string): Ipv6 | undefined {
  if (isIP(text) !== 6) return undefined;
  let address = text.toLowerCase().replace(/%.*$/, '');
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (dotted) {
    const [a, b, c, d] = parseIpv4(dotted[1]) as Ipv4;
    address = `${address.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = address.split('::');
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const before = groups(head);
  const after = groups(tail);
  const zeros = tail === undefined ? [] : Array(8 - before.length - after.length).fill('0');
  return [...before, ...zeros, ...after].map((group) => parseInt(group, 16));
}

/** The IPv4 address in the last 32 bits of an IPv6 address. */
export function lowIpv4(groups: Ipv6): Ipv4 {
  return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff];
}

/**
 * A client's address as one rate-limit identity: IPv4 as is (also when mapped into IPv6), IPv6
 * by its /64, the smallest block one subscriber is given: a single host can use any address in it.
 */
export function clientIdentity(address: string | undefined): string {
  if (!address) return 'unknown';
  const groups = parseIpv6(address);
  if (!groups) return address;
  const mapped = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  if (mapped) return lowIpv4(groups).join('.');
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}
