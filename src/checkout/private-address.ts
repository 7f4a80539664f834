import { lowIpv4, parseIpv4, parseIpv6, type Ipv4, type Ipv6 } from '../common/ip-address.js';

/** Names that never lead to the public internet (RFC 6761, RFC 6762, ICANN's `.internal`). */
const PRIVATE_NAMES = ['localhost', 'metadata', 'metadata.google.internal'];
const PRIVATE_SUFFIXES = ['.localhost', '.local', '.internal'];

/** IPv4 blocks that are not public unicast (IANA special-purpose registry), as [address, prefix]. */
const PRIVATE_V4: [Ipv4, number][] = [
  [[0, 0, 0, 0], 8], // "this network"
  [[10, 0, 0, 0], 8],
  [[100, 64, 0, 0], 10], // carrier-grade NAT
  [[127, 0, 0, 0], 8],
  [[169, 254, 0, 0], 16], // link-local, cloud metadata
  [[172, 16, 0, 0], 12],
  [[192, 0, 0, 0], 24], // IETF protocol assignments
  [[192, 0, 2, 0], 24], // documentation
  [[192, 168, 0, 0], 16],
  [[198, 18, 0, 0], 15], // benchmarking
  [[198, 51, 100, 0], 24], // documentation
  [[203, 0, 113, 0], 24], // documentation
  [[224, 0, 0, 0], 4], // multicast
  [[240, 0, 0, 0], 4], // reserved, broadcast
];

/** IPv6 blocks that are not public unicast, as [first groups, prefix]. */
const PRIVATE_V6: [number[], number][] = [
  [[0x0100], 64], // discard-only
  [[0x2001, 0x0db8], 32], // documentation
  [[0x64, 0xff9b, 0x0001], 48], // NAT64 for local use (RFC 8215)
  [[0xfc00], 7], // unique local
  [[0xfe80], 10], // link-local
  [[0xfec0], 10], // site-local (deprecated, still routed inside sites)
  [[0xff00], 8], // multicast
];

/**
 * Whether a URL host (as `URL.hostname` has it, lower-cased) names a private, loopback,
 * link-local or metadata address. A trailing dot (`localhost.`) names the same host, and an IPv4
 * address embedded in IPv6 (mapped, compatible, NAT64, 6to4, Teredo) is judged as that IPv4.
 */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.+$/, '');
  if (PRIVATE_NAMES.includes(host) || PRIVATE_SUFFIXES.some((suffix) => host.endsWith(suffix))) {
    return true;
  }
  const v4 = parseIpv4(host);
  if (v4) return isPrivateV4(v4);
  const v6 = parseIpv6(host.replace(/^\[|\]$/g, ''));
  if (v6) return isPrivateV6(v6);
  return false;
}

/**
 * Whether a literal IP address, as a resolver gives it (`10.0.0.1`, `::1`, `fe80::1%eth0`), is
 * not public unicast, by the same rules as `isPrivateHost`. Text that is no IP address is judged
 * private: what cannot be checked is not connected to.
 */
export function isPrivateIp(address: string): boolean {
  const v4 = parseIpv4(address);
  if (v4) return isPrivateV4(v4);
  const v6 = parseIpv6(address);
  return v6 ? isPrivateV6(v6) : true;
}

/** Whether a literal IP address is this host's loopback: 127.0.0.0/8 or `::1`. */
export function isLoopbackIp(address: string): boolean {
  const v4 = parseIpv4(address);
  if (v4) return v4[0] === 127;
  const v6 = parseIpv6(address);
  return !!v6 && v6.slice(0, 7).every((group) => group === 0) && v6[7] === 1;
}

function isPrivateV4(address: Ipv4): boolean {
  const value = toUint32(address);
  return PRIVATE_V4.some(([base, prefix]) => sameBlock(value, toUint32(base), prefix));
}

function isPrivateV6(groups: Ipv6): boolean {
  const embedded = embeddedIpv4(groups);
  if (embedded) return embedded.mapped || isPrivateV4(embedded.address);
  return PRIVATE_V6.some(([base, prefix]) => inV6Block(groups, base, prefix));
}

/**
 * The IPv4 address an IPv6 address carries, when it carries one. Every IPv4-mapped address
 * (`::ffff:a.b.c.d`) is refused whatever it maps: it only ever means "this host's IPv4 stack".
 */
function embeddedIpv4(groups: Ipv6): { address: Ipv4; mapped: boolean } | undefined {
  const zero = (from: number, to: number) => groups.slice(from, to).every((group) => group === 0);
  // ::a.b.c.d (IPv4-compatible, also :: and ::1), ::ffff:a.b.c.d (mapped), ::ffff:0:a.b.c.d (SIIT)
  if (zero(0, 5) && (groups[5] === 0 || groups[5] === 0xffff)) {
    return { address: lowIpv4(groups), mapped: groups[5] === 0xffff };
  }
  if (zero(0, 4) && groups[4] === 0xffff && groups[5] === 0) {
    return { address: lowIpv4(groups), mapped: true };
  }
  // 64:ff9b::/96, the well-known NAT64 prefix (RFC 6052)
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zero(2, 6)) {
    return { address: lowIpv4(groups), mapped: false };
  }
  // 2002::/16, 6to4: the IPv4 address follows the prefix
  if (groups[0] === 0x2002) {
    return {
      address: [groups[1] >> 8, groups[1] & 0xff, groups[2] >> 8, groups[2] & 0xff],
      mapped: false,
    };
  }
  // 2001::/32, Teredo: the client's IPv4 address is in the last 32 bits, inverted
  if (groups[0] === 0x2001 && groups[1] === 0) {
    return {
      address: lowIpv4([0, 0, 0, 0, 0, 0, groups[6] ^ 0xffff, groups[7] ^ 0xffff]),
      mapped: false,
    };
  }
  return undefined;
}

function toUint32([a, b, c, d]: Ipv4): number {
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

function sameBlock(value: number, base: number, prefix: number): boolean {
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return (value & mask) >>> 0 === (base & mask) >>> 0;
}

function inV6Block(groups: Ipv6, base: number[], prefix: number): boolean {
  for (let bit = 0; bit < prefix; bit += 16) {
    const bits = Math.min(16, prefix - bit);
    const mask = (0xffff << (16 - bits)) & 0xffff;
    const index = bit / 16;
    if ((groups[index] & mask) !== ((base[index] ?? 0) & mask)) return false;
  }
  return true;
}
