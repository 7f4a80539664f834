import { redirectUrlProblem } from './redirect-url.js';

const open = { production: false, allowlist: null };

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

  it('refuses plain-http localhost in production', () => {
    expect(
      redirectUrlProblem('http://localhost:3000/ok', { production: true, allowlist: null }),
    ).toMatch(/https/);
  });

  it("holds to the company's allowlist", () => {
    const policy = { production: false, allowlist: ['shop.example.com'] };
    expect(redirectUrlProblem('https://shop.example.com/ok', policy)).toBeUndefined();
    expect(redirectUrlProblem('https://SHOP.example.com/ok', policy)).toBeUndefined();
    expect(redirectUrlProblem('https://other.example.com/ok', policy)).toMatch(/allowlist/);
  });
});
