import { spawn, type ChildProcess } from 'node:child_process';
import { freeLoopbackPort } from '../../app/src/free-port.js';
import { WEBHOOK_SECRET } from './test-app.js';

/**
 * The built standalone service (`npm test` builds first) as a real child process, for tests that
 * kill it with SIGKILL. Short Stripe timeouts and lease margin, so a killed holder's lease ends
 * within a few seconds; reconciliation only when the test asks for it.
 */
export const SERVICE_ENV = {
  NODE_ENV: 'development',
  HOST: '127.0.0.1',
  DEMO_DATA: '1',
  STRIPE_SECRET_KEY: 'sk_test_process',
  STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
  STRIPE_TIMEOUT_MS: '1000',
  STRIPE_MAX_NETWORK_RETRIES: '0',
  LOCK_LEASE_MARGIN_MS: '500',
  CREATING_GRACE_MS: '0',
  RECONCILE_INTERVAL_MS: '86400000',
  RATE_LIMIT_PER_KEY: '0',
  RATE_LIMIT_PER_PAYABLE: '0',
  LOG_LEVEL: 'warn',
};

export interface ServiceProcess {
  url: string;
  port: number;
  /** Everything the process wrote, for a failing test's message. */
  output(): string;
  /** SIGKILL, as a crash: nothing is finished, nothing is closed. */
  crash(): Promise<void>;
  /** SIGTERM, and waits for the exit. */
  stop(): Promise<void>;
}

export interface ServiceProcessOptions {
  dbUrl: string;
  stripeApiUrl: string;
  /** Reuse a port (a restarted instance where the emulator sends its webhooks). */
  port?: number;
  env?: Record<string, string>;
}

export async function startServiceProcess(options: ServiceProcessOptions): Promise<ServiceProcess> {
  const port = options.port ?? (await freeLoopbackPort());
  const child = spawn(process.execPath, ['app/dist/main.js'], {
    env: {
      ...process.env,
      ...SERVICE_ENV,
      DB_URL: options.dbUrl,
      STRIPE_API_URL: options.stripeApiUrl,
      PORT: String(port),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitUntilListening(child, url, () => output);
  return {
    url,
    port,
    output: () => output,
    crash: () => ended(child, 'SIGKILL'),
    stop: () => ended(child, 'SIGTERM'),
  };
}

export interface ReconcileReport {
  settled: number;
  busy: number;
  failed: number;
}

export interface ReconcileProcess {
  /** The run's report; rejects when the process ends without one (e.g. it was killed). */
  report: Promise<ReconcileReport>;
  crash(): Promise<void>;
}

/** `npm run reconcile` against the same database and Stripe, as its own process. */
export function startReconcileProcess(
  options: Omit<ServiceProcessOptions, 'port'>,
): ReconcileProcess {
  const child = spawn(process.execPath, ['app/dist/reconcile.js'], {
    env: {
      ...process.env,
      ...SERVICE_ENV,
      DB_URL: options.dbUrl,
      STRIPE_API_URL: options.stripeApiUrl,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const report = new Promise<ReconcileReport>((resolve, reject) =>
    child.once('exit', (code, signal) => {
      const json = /Reconciled: (\{.*\})/.exec(output)?.[1];
      if (json) resolve(JSON.parse(json) as ReconcileReport);
      else reject(new Error(`reconcile ended (${signal ?? code}) without a report:\n${output}`));
    }),
  );
  return { report, crash: () => ended(child, 'SIGKILL') };
}

async function waitUntilListening(
  child: ChildProcess,
  url: string,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`service exited at start:\n${output()}`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`service did not answer /health within 30 s:\n${output()}`);
}

function ended(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  return exit;
}
