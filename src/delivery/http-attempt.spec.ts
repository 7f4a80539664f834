import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ANSWER_BYTES, postEvent } from './http-attempt.js';

type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void;

interface Receiver {
  url: string;
  requests: { path: string; headers: IncomingMessage['headers']; body: string }[];
  close(): Promise<void>;
}

/** A receiver on 127.0.0.1 that counts what reaches it. */
async function receiver(handler: Handler): Promise<Receiver> {
  const requests: Receiver['requests'] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      requests.push({ path: request.url ?? '', headers: request.headers, body });
      handler(request, response, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const never = new AbortController().signal;
const loopback = { allowLoopback: true };
const noLoopback = { allowLoopback: false };

describe('one delivery attempt over HTTP', () => {
  let receivers: Receiver[] = [];
  const start = async (handler: Handler) => {
    const started = await receiver(handler);
    receivers.push(started);
    return started;
  };

  afterEach(async () => {
    await Promise.all(receivers.map((started) => started.close()));
    receivers = [];
  });

  it('POSTs the event as JSON with its headers and reads the answer', async () => {
    const { url, requests } = await start((_, response) => {
      response.writeHead(200, { 'retry-after': '7' }).end('thanks');
    });
    const attempt = await postEvent(
      url + '/hook',
      { 'x-signature': 's' },
      '{"a":1}',
      5000,
      never,
      loopback,
    );
    expect(attempt).toMatchObject({
      delivered: true,
      status: 200,
      answer: 'thanks',
      retryAfterMs: 7000,
    });
    expect(attempt.error).toBeUndefined();
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ path: '/hook', body: '{"a":1}' });
    expect(requests[0].headers).toMatchObject({
      'content-type': 'application/json',
      'x-signature': 's',
    });
  });

  it('refuses loopback when it is not allowed: no request reaches the receiver', async () => {
    const { url, requests } = await start((_, response) => response.end('ok'));
    const port = new URL(url).port;
    for (const target of [url, `http://localhost:${port}`, `http://[::1]:${port}`]) {
      const attempt = await postEvent(target, {}, '{}', 5000, never, noLoopback);
      expect(attempt).toMatchObject({ delivered: false, status: null, answer: null });
      expect(attempt.error).toMatch(/^refused: .+ resolves to a private address$/);
    }
    expect(requests).toHaveLength(0);
  });

  it('refuses a name that resolves to loopback unless loopback is allowed', async () => {
    const { url, requests } = await start((_, response) => response.end('ok'));
    const byName = `http://localhost:${new URL(url).port}`;
    expect((await postEvent(byName, {}, '{}', 5000, never, noLoopback)).error).toBe(
      'refused: localhost resolves to a private address',
    );
    expect(requests).toHaveLength(0);
    expect(await postEvent(byName, {}, '{}', 5000, never, loopback)).toMatchObject({
      delivered: true,
      status: 200,
    });
    expect(requests).toHaveLength(1);
  });

  it('refuses private addresses other than loopback even where loopback is allowed', async () => {
    for (const target of [
      'http://10.0.0.1/',
      'http://169.254.169.254/latest/meta-data/',
      'http://192.168.1.1/',
      'http://[fd00::1]/',
      'http://[::ffff:127.0.0.1]/',
      'https://[fe80::1]/',
    ]) {
      const attempt = await postEvent(target, {}, '{}', 5000, never, loopback);
      expect(attempt.error).toMatch(/^refused: /);
    }
  });

  it('reports a redirect as its status and does not follow it', async () => {
    const elsewhere = await start((_, response) => response.end('followed'));
    const { url } = await start((_, response) => {
      response.writeHead(302, { location: elsewhere.url + '/inside' }).end();
    });
    const attempt = await postEvent(url, {}, '{}', 5000, never, loopback);
    expect(attempt).toMatchObject({ delivered: false, status: 302 });
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('gives up when the answer does not come in time', async () => {
    const { url, requests } = await start(() => undefined);
    const attempt = await postEvent(url, {}, '{}', 200, never, loopback);
    expect(attempt).toMatchObject({ delivered: false, status: null, error: 'timed out' });
    expect(requests).toHaveLength(1);
  });

  it('gives up when the first 1 KB does not come in time, the headers having come', async () => {
    const { url } = await start((_, response) => response.writeHead(200).write('partial'));
    const attempt = await postEvent(url, {}, '{}', 200, never, loopback);
    expect(attempt).toMatchObject({ delivered: false, status: null, error: 'timed out' });
  });

  it('stops when told to', async () => {
    const { url, requests } = await start(() => undefined);
    const stop = new AbortController();
    const attempt = postEvent(url, {}, '{}', 60_000, stop.signal, loopback);
    await waitFor(() => requests.length === 1);
    stop.abort();
    expect(await attempt).toMatchObject({ delivered: false, status: null, error: 'timed out' });
  });

  it('names the error of a connection reset', async () => {
    const { url } = await start((request) => request.socket.resetAndDestroy());
    const attempt = await postEvent(url, {}, '{}', 5000, never, loopback);
    expect(attempt).toMatchObject({ delivered: false, status: null, error: 'ECONNRESET' });
  });

  it('names the error of a refused connection', async () => {
    const { url, close } = await start(() => undefined);
    await close();
    const attempt = await postEvent(url, {}, '{}', 5000, never, loopback);
    expect(attempt).toMatchObject({ delivered: false, status: null, error: 'ECONNREFUSED' });
  });

  it('keeps the first 1 KB of a long answer, dropping a character cut at the mark', async () => {
    const text = 'a'.repeat(ANSWER_BYTES - 1) + 'é' + 'b'.repeat(10_000);
    const { url } = await start((_, response) => response.writeHead(500).end(text));
    const attempt = await postEvent(url, {}, '{}', 5000, never, loopback);
    expect(attempt).toMatchObject({ delivered: false, status: 500 });
    expect(attempt.answer).toBe('a'.repeat(ANSWER_BYTES - 1));
  });

  it('reads a long answer no further than 1 KB, even when it never ends', async () => {
    const { url } = await start((_, response) => response.writeHead(200).write('x'.repeat(4096)));
    const attempt = await postEvent(url, {}, '{}', 5000, never, loopback);
    expect(attempt).toMatchObject({
      delivered: true,
      status: 200,
      answer: 'x'.repeat(ANSWER_BYTES),
    });
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('the condition never came true');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
