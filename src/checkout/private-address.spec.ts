import { isLoopbackIp, isPrivateIp } from './private-address.js';

describe('judging a resolved address', () => {
  it('judges private, loopback, link-local and embedded private IPv4 addresses private', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '169.254.169.254',
      '172.16.0.1',
      '192.168.0.1',
      '100.64.0.1',
      '::1',
      '::',
      'fd00::1',
      'fe80::1%eth0',
      '::ffff:8.8.8.8',
      '64:ff9b::a00:1',
      '2002:a00:1::',
    ]) {
      expect([address, isPrivateIp(address)]).toEqual([address, true]);
    }
  });

  it('judges public unicast addresses public, and what is no address private', () => {
    for (const address of ['8.8.8.8', '93.184.216.34', '2606:4700::1111', '64:ff9b::808:808']) {
      expect([address, isPrivateIp(address)]).toEqual([address, false]);
    }
    expect(isPrivateIp('example.com')).toBe(true);
    expect(isPrivateIp('')).toBe(true);
  });

  it('knows loopback from other private addresses', () => {
    for (const address of ['127.0.0.1', '127.8.9.10', '::1', '0:0:0:0:0:0:0:1']) {
      expect([address, isLoopbackIp(address)]).toEqual([address, true]);
    }
    for (const address of ['10.0.0.1', '169.254.169.254', '::', '::2', 'fe80::1', 'localhost']) {
      expect([address, isLoopbackIp(address)]).toEqual([address, false]);
    }
  });
});
