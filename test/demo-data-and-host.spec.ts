import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort } from '../app/src/free-port.js';

const SALON = '3fa85f64-5717-4562-b3fc-2c963f66afa6';

interface Started {
  url: string;
  port: number;
  output: () => string;
  stop(): Promise<void>;
}

/** Runs the built service (npm test builds first) on a fresh SQLite file, until it listens. */
async function startWith(env: Record<string, string>, sharedDbFile?: string): Promise<Started> {
  const port = await freeLoopbackPort();
  const dbFile = sharedDbFile ?? join(tmpdir(), `demo-${process.pid}-${port}.sqlite`);
  let output = '';
  const child: ChildProcess = spawn('node', ['app/dist/main.js'], {
    env: {
      PATH: process.env.PATH ?? '',
      DB_URL: `sqlite:${dbFile}`,
      PORT: String(port),
      STRIPE_EMULATOR_PORT: '0',
      RECONCILE_INTERVAL_MS: '86400000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 20_000;
  while (!output.includes('Payments service listening on')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the service did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      if (!sharedDbFile) removeDatabase(dbFile);
    },
  };
}

function removeDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
}

/** The status of a GET of an unknown payable: 401 when the key is not valid, 404 when it is. */
async function statusWithKey(url: string, key: string): Promise<number> {
  const res = await fetch(
    `${url}/payment/stripe/v1/checkout?CompanyId=${SALON}&InternalReferenceId=no-such-booking`,
    { headers: { 'x-api-key': key } },
  );
  return res.status;
}

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const REAL_STRIPE = { STRIPE_SECRET_KEY: 'sk_test_notreal', STRIPE_API_URL: 'http://127.0.0.1:9' };

/** Item 12 of issue 10: demo data only when asked for; loopback unless HOST says otherwise. */
describe('demo data and the listening address of the built service', () => {
  it.each([
    ['NODE_ENV unset', {}],
    ['NODE_ENV=development', { NODE_ENV: 'development' }],
    ['NODE_ENV=test', { NODE_ENV: 'test' }],
    ['DEMO_DATA=0', { DEMO_DATA: '0' }],
  ])(
    'with a Stripe key and %s: no demo keys',
    async (_name, env) => {
      const service = await startWith({ ...REAL_STRIPE, ...env });
      try {
        expect(await statusWithKey(service.url, 'demo-platform-key')).toBe(401);
        expect(await statusWithKey(service.url, 'demo-api-key')).toBe(401);
        expect(service.output()).not.toContain('Create a checkout (demo data)');
      } finally {
        await service.stop();
      }
    },
    30_000,
  );

  it('with a Stripe key and DEMO_DATA=1: the demo keys', async () => {
    const service = await startWith({ ...REAL_STRIPE, DEMO_DATA: '1' });
    try {
      expect(await statusWithKey(service.url, 'demo-platform-key')).toBe(404);
      expect(await statusWithKey(service.url, 'demo-api-key')).toBe(404);
    } finally {
      await service.stop();
    }
  }, 30_000);

  it('with the bundled emulator (no Stripe key): the demo keys and the ready curl line', async () => {
    const service = await startWith({});
    try {
      expect(await statusWithKey(service.url, 'demo-platform-key')).toBe(404);
      expect(service.output()).toContain('Create a checkout (demo data)');
    } finally {
      await service.stop();
    }
  }, 30_000);

  it('a database seeded by an earlier run with the emulator loses its demo keys, unless asked', async () => {
    const dbFile = join(tmpdir(), `demo-reused-${process.pid}-${Date.now()}.sqlite`);
    const run = async (env: Record<string, string>) => {
      const service = await startWith(env, dbFile);
      try {
        return await statusWithKey(service.url, 'demo-platform-key');
      } finally {
        await service.stop();
      }
    };
    try {
      expect(await run({})).toBe(404);
      expect(await run(REAL_STRIPE)).toBe(401);
      expect(await run({ ...REAL_STRIPE, DEMO_DATA: '1' })).toBe(404);
    } finally {
      removeDatabase(dbFile);
    }
  }, 40_000);

  it('listens on 127.0.0.1 only, unless HOST says otherwise', async () => {
    // Linux routes all of 127.0.0.0/8 to the loopback interface: 127.0.0.2 reaches a server
    // listening on every address, never one bound to 127.0.0.1.
    const loopback = await startWith(REAL_STRIPE);
    try {
      expect(await connects('127.0.0.1', loopback.port)).toBe(true);
      expect(await connects('127.0.0.2', loopback.port)).toBe(false);
    } finally {
      await loopback.stop();
    }
    const everywhere = await startWith({ ...REAL_STRIPE, HOST: '0.0.0.0' });
    try {
      expect(await connects('127.0.0.2', everywhere.port)).toBe(true);
    } finally {
      await everywhere.stop();
    }
  }, 40_000);

  it.each([
    ['DEMO_DATA=yes', { DEMO_DATA: 'yes' }, /DEMO_DATA: expected 1 or 0/],
    ['a HOST that is no host', { HOST: 'not a host!' }, /HOST: expected an IP address/],
  ])('%s exits 1 with a one-line message', (_name, env, message) => {
    const result = spawnSync('node', ['app/dist/main.js'], {
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });
});
