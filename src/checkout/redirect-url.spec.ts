import { redirectUrlProblem } from './redirect-url.js';

const open = { production: false, allowlist: null };
const production = { production: true, allowlist: null };

describe('redirectUrlProblem', () => {
  it.each([
    'https://example.com/booking/ok',
    'https://shop.example.com:8443/x?y=1#z',
    'http://localhost:3000/ok',
    'http://127.0.0.1:8080/ok',
  ])('accepts %s', (url) => {
    expect(redirectUrlProblem(url, open)).toBeUndefined();
  });

  it.each([
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    '//evil.com/x',
    'https://ok.com@evil.com/',
    'https://user:pw@example.com/',
    'https://ok.com\\@evil.com/',
    'https:\\\\evil.com',
    'https://evil.com\\.ok.com/',
    'http://example.com/plain-http',
    'https://169.254.169.254/latest/meta-data',
    'https://metadata.google.internal/computeMetadata',
    'https://[fe80::1]/',
    'https://10.0.0.1/',
    'https://192.168.1.1/',
    'https://[::ffff:127.0.0.1]/',
    'ftp://example.com/',
    'https://example.com/ x',
    `https://example.com/${'a'.repeat(2048)}`,
    '/relative/path',
  ])('refuses %s', (url) => {
    expect(redirectUrlProblem(url, open)).toEqual(expect.any(String));
  });

  it.each([
    // trailing dots name the same host
    'https://localhost./',
    'https://localhost../',
    'https://metadata.google.internal./computeMetadata',
    'https://127.0.0.1./',
    'https://169.254.169.254./latest/meta-data',
    'https://metadata/computeMetadata',
    'https://printer.local/',
    'https://db.corp.internal/',
    // IPv4 spelled otherwise: the URL parser normalizes these to dotted quads
    'https://2130706433/',
    'https://0x7f.1/',
    'https://0177.0.0.1/',
    // IPv4-mapped, in every spelling the parser normalizes to [::ffff:7f00:1]
    'https://[::ffff:127.0.0.1]/',
    'https://[::FFFF:7F00:1]/',
    'https://[0:0:0:0:0:ffff:127.0.0.1]/',
    'https://[0000:0000:0000:0000:0000:ffff:7f00:0001]/',
    'https://[::ffff:8.8.8.8]/',
    'https://[::ffff:0:10.0.0.1]/',
    // IPv4-compatible
    'https://[::127.0.0.1]/',
    'https://[::169.254.169.254]/',
    'https://[::a9fe:a9fe]/',
    'https://[::]/',
    // NAT64, 6to4 and Teredo with a private IPv4 inside
    'https://[64:ff9b::169.254.169.254]/',
    'https://[64:ff9b::a00:1]/',
    'https://[64:ff9b:1::8.8.8.8]/',
    'https://[2002:a9fe:a9fe::]/',
    'https://[2002:c0a8:101::1]/',
    'https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/', // Teredo client 127.0.0.1
    // other ranges
    'https://198.18.0.1/',
    'https://198.19.255.255/',
    'https://100.64.0.1/',
    'https://192.0.2.1/',
    'https://224.0.0.1/',
    'https://255.255.255.255/',
    'https://[fec0::1]/',
    'https://[feff::1]/',
    'https://[fc00::1]/',
    'https://[fd12:3456::1]/',
    'https://[ff02::1]/',
    'https://[2001:db8::1]/',
  ])('refuses the private host of %s (in production, where localhost is refused too)', (url) => {
    expect(redirectUrlProblem(url, production)).toMatch(/private/);
  });

  it.each([
    'https://example.com./ok',
    'https://8.8.8.8/',
    'https://198.20.0.1/',
    'https://[2606:4700::1111]/',
    'https://[2002:808:808::1]/', // 6to4 of 8.8.8.8
    'https://[64:ff9b::808:808]/', // NAT64 of 8.8.8.8
    'https://[::8.8.8.8]/',
  ])('accepts the public host of %s', (url) => {
    expect(redirectUrlProblem(url, production)).toBeUndefined();
  });

  it('treats localhost. like localhost', () => {
    expect(redirectUrlProblem('http://localhost.:3000/ok', open)).toBeUndefined();
    expect(redirectUrlProblem('https://localhost./ok', production)).toMatch(/private/);
  });

  it('refuses plain-http localhost in production', () => {
    expect(
      redirectUrlProblem('http://localhost:3000/ok', { production: true, allowlist: null }),
    ).toMatch(/https/);
  });

  it("holds to the company's allowlist", () => {
    const policy = { production: false, allowlist: ['shop.example.com'] };
    expect(redirectUrlProblem('https://shop.example.com/ok', policy)).toBeUndefined();
    expect(redirectUrlProblem('https://SHOP.example.com/ok', policy)).toBeUndefined();
    expect(redirectUrlProblem('https://shop.example.com./ok', policy)).toBeUndefined();
    expect(redirectUrlProblem('https://other.example.com/ok', policy)).toMatch(/allowlist/);
  });
});
