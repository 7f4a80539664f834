import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { Checkout } from '../../src/index.js';
import { startStripeEmulator, type StripeEmulator } from '../../emulator/src/index.js';
import { freeLoopbackPort as freePort } from '../../app/src/free-port.js';
import { salonCheckout, WEBHOOK_SECRET } from '../support/test-app.js';
import {
  createTestDatabase,
  migratedDataSource,
  TEST_DB,
  type TestDatabase,
} from '../support/test-database.js';

const CREATES = 20;
const STRIPE_DELAY_MS = 2_000;

/** The built service (`npm test` builds first) as a child process, stopped by a real SIGTERM. */
describe(`graceful shutdown of the service process (${TEST_DB})`, () => {
  let db: TestDatabase;
  let emulator: StripeEmulator;
  let child: ChildProcess;
  let output = '';
  let url: string;
  let port: number;
  beforeAll(async () => {
    db = await createTestDatabase();
    emulator = await startStripeEmulator({ port: 0, webhookSecret: WEBHOOK_SECRET, faults: true });
    port = await freePort();
    url = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ['app/dist/main.js'], {
      env: {
        ...process.env,
        NODE_ENV: 'development',
        DEMO_DATA: '1', // a real Stripe key: demo data only when asked for
        DB_URL: db.url,
        STRIPE_SECRET_KEY: 'sk_test_x',
        STRIPE_API_URL: emulator.url,
        STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
        PORT: String(port),
        RECONCILE_INTERVAL_MS: '86400000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // The listening line comes after the migrations and the demo seed.
    await waitFor(() => output.includes('Payments service listening on'), 30_000);
  }, 40_000);
  afterAll(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await emulator.close();
    await db.drop();
  });

  const createRequest = (body: Record<string, unknown>) =>
    fetch(`${url}/payment/stripe/v1/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'demo-api-key' },
      body: JSON.stringify(body),
    });
  const createsAtStripe = () =>
    emulator.requests.filter((r) => r.method === 'POST' && r.path === '/v1/checkout/sessions');

  it('answers every request in flight, reports not ready, exits 0 and leaves nothing creating', async () => {
    expect(await (await fetch(`${url}/health/ready`)).json()).toEqual({ Status: 'ready' });
    emulator.injectFault({
      method: 'POST',
      path: '^/v1/checkout/sessions$',
      kind: 'delay',
      ms: STRIPE_DELAY_MS,
      times: CREATES + 1,
    });
    const bodies = Array.from({ length: CREATES }, () => salonCheckout());
    const responses = Promise.all(
      bodies.map(async (body) => {
        const res = await createRequest(body);
        return { status: res.status, body: (await res.json()) as { SessionId?: string } };
      }),
    );
    // One more create on a raw keep-alive connection, to ask for readiness on it after SIGTERM.
    const socket = await rawConnection(port);
    const rawAnswers = readAll(socket);
    socket.write(rawPost('/payment/stripe/v1/checkout', salonCheckout()));
    await waitFor(() => createsAtStripe().length === CREATES + 1, 10_000);

    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const signalledAt = Date.now();
    child.kill('SIGTERM');
    await waitFor(() => output.includes('SIGTERM received'), 5_000);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
    socket.write('GET /health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');

    for (const res of await responses) {
      expect(res.status).toBe(200);
      expect(res.body.SessionId).toMatch(/^cs_/);
    }
    const raw = await rawAnswers;
    expect([...raw.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => m[1])).toEqual(['200', '503']);
    expect(raw).toContain('"ErrorCode":"ServiceUnavailable"');

    const { code, signal } = await exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalledAt).toBeLessThan(STRIPE_DELAY_MS + 8_000);

    const dataSource: DataSource = await migratedDataSource(db.url);
    try {
      const rows = await dataSource.getRepository(Checkout).find();
      expect(rows).toHaveLength(CREATES + 1);
      expect(rows.filter((row) => row.state !== 'open')).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  }, 60_000);
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(25);
  }
}

function rawConnection(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

function rawPost(path: string, body: Record<string, unknown>): string {
  const json = JSON.stringify(body);
  return (
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
    `x-api-key: demo-api-key\r\nContent-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`
  );
}

/** Everything the server sends on the connection until it closes it. */
function readAll(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.once('close', () => resolve(text));
    socket.once('error', reject);
  });
}
