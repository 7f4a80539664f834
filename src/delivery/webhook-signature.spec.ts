import { Webhook } from 'standardwebhooks';
import { newWebhookSecret, signature, signedHeaders } from './webhook-signature.js';

describe('Standard Webhooks signatures', () => {
  const body = JSON.stringify({ Id: 'evt-1', Type: 'payable.paid' });
  const now = () => Math.floor(Date.now() / 1000);

  it('makes secrets whsec_<base64 of 32 bytes>, never twice the same', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(secret);
  });

  it('signs "id.timestamp.body" so the standardwebhooks package verifies it', () => {
    const secret = newWebhookSecret();
    const headers = signedHeaders([secret], 'evt-1', now(), body);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('with two secrets, either verifies; a third does not', () => {
    const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
    const headers = signedHeaders([current, previous], 'evt-1', now(), body);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(current).verify(body, { ...headers })).toBeTruthy();
    expect(new Webhook(previous).verify(body, { ...headers })).toBeTruthy();
    expect(() => new Webhook(newWebhookSecret()).verify(body, { ...headers })).toThrow();
  });

  it('changes with the id, the timestamp and the body', () => {
    const secret = newWebhookSecret();
    const base = signature(secret, 'a', 1, 'x');
    expect(signature(secret, 'b', 1, 'x')).not.toBe(base);
    expect(signature(secret, 'a', 2, 'x')).not.toBe(base);
    expect(signature(secret, 'a', 1, 'y')).not.toBe(base);
  });
});
