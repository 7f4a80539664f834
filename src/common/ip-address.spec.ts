import { clientIdentity, parseIpv6 } from './ip-address.js';

describe('parseIpv6', () => {
  it.each([
    ['::', [0, 0, 0, 0, 0, 0, 0, 0]],
    ['::1', [0, 0, 0, 0, 0, 0, 0, 1]],
    ['::ffff:7f00:1', [0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]],
    ['::ffff:127.0.0.1', [0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]],
    ['2001:db8::8:800:200c:417a', [0x2001, 0xdb8, 0, 0, 8, 0x800, 0x200c, 0x417a]],
    ['fe80::1%eth0', [0xfe80, 0, 0, 0, 0, 0, 0, 1]],
    ['1:2:3:4:5:6:7:8', [1, 2, 3, 4, 5, 6, 7, 8]],
  ])('%s', (text, groups) => {
    expect(parseIpv6(text)).toEqual(groups);
  });

  it('is undefined for anything else', () => {
    expect(parseIpv6('127.0.0.1')).toBeUndefined();
    expect(parseIpv6('example.com')).toBeUndefined();
  });
});

describe('clientIdentity', () => {
  it('keeps IPv4, unmaps mapped IPv4 and groups IPv6 by /64', () => {
    expect(clientIdentity('203.0.113.7')).toBe('203.0.113.7');
    expect(clientIdentity('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientIdentity('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientIdentity('2001:db8:1:2:bbbb::9')).toBe('2001:db8:1:2::/64');
    expect(clientIdentity(undefined)).toBe('unknown');
  });
});
