import type { Server, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Counts the requests in flight on an HTTP server so a shutdown can stop accepting connections
 * and still answer everything already started. Nest's app.close() closes the database (module
 * destroy hooks) before the HTTP server, so the host has to drain first.
 */
export class HttpDrain {
  private inFlight = 0;
  private draining = false;
  private onIdle: (() => void) | undefined;

  constructor(private readonly server: Server) {
    server.on('request', (_req, res: ServerResponse) => this.track(res));
  }

  get requestsInFlight(): number {
    return this.inFlight;
  }

  /** Stops accepting; resolves true when every request in flight was answered within graceMs. */
  async drain(graceMs: number): Promise<boolean> {
    this.draining = true;
    this.server.close();
    const idle = new Promise<true>((resolve) => {
      if (this.inFlight === 0) resolve(true);
      else this.onIdle = () => resolve(true);
    });
    const drained = await Promise.race([idle, sleep(graceMs, false, { ref: false })]);
    if (drained) this.server.closeIdleConnections();
    else this.server.closeAllConnections();
    return drained;
  }

  private track(res: ServerResponse): void {
    this.inFlight++;
    if (this.draining) res.setHeader('Connection', 'close');
    res.once('close', () => {
      if (--this.inFlight === 0) this.onIdle?.();
    });
  }
}
