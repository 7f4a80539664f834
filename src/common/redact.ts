/** Stripe keys, webhook secrets and client secrets must never reach a log line or an error body. */
const SECRET_PATTERNS = [
  /\b(sk|rk|pk)_(test|live)_[A-Za-z0-9]+/g,
  /\bwhsec_[A-Za-z0-9+/=]+/g,
  /\b(cs|pi|seti)_[A-Za-z0-9_]*_secret_[A-Za-z0-9]+/g,
];

export function redact(text: string): string {
  return SECRET_PATTERNS.reduce((out, pattern) => out.replace(pattern, '[redacted]'), text);
}
