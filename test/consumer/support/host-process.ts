import { spawn } from 'node:child_process';

export interface HostProcess {
  /** Where the host serves, its global prefix included. */
  url: string;
  /** Everything it wrote, for a failing test's message. */
  output(): string;
  /** SIGTERM, and waits for the exit; fails when the host had exited by itself. */
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 45_000;

/** A built host as its own process, until it says it listens. */
export async function startHost(
  entry: string,
  port: number,
  env: Record<string, string>,
): Promise<HostProcess> {
  const child = spawn(process.execPath, [entry], {
    env: { PATH: process.env.PATH ?? '', HOST_PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? String(code))),
  );
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!output.includes(' listening on ')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the host ${entry} did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `http://127.0.0.1:${port}/host`,
    output: () => output,
    async stop() {
      const crashed = child.exitCode !== null || child.signalCode !== null;
      if (!crashed) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const end = await exited;
      clearTimeout(timer);
      // Nest's shutdown hooks close the app, then end the process with the signal it got.
      if (crashed || end !== 'SIGTERM') {
        throw new Error(
          `the host ${crashed ? 'had exited by itself' : `ended by ${end}`}:\n${output}`,
        );
      }
    },
  };
}
