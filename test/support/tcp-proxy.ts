import { connect, createServer, type Server, type Socket } from 'node:net';

/** How the proxy treats new connections while the backend is "gone". */
export type OutageMode = 'refuse' | 'blackhole';

/**
 * A loopback TCP proxy the tests control, to make a backend (MariaDB) go away and come back
 * without touching the real server: `cut()` destroys every open connection and then refuses
 * (closes at once) or blackholes (accepts, never answers) new ones; `restore()` forwards again.
 */
export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private outage: OutageMode | undefined;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const proxy = new TcpProxy(server, (server.address() as { port: number }).port);
    server.on('connection', (client) => proxy.accept(client, target));
    return proxy;
  }

  /** `mysql://root@127.0.0.1:3306/db` → the same URL through this proxy. */
  rewrite(url: string): string {
    const through = new URL(url);
    through.hostname = '127.0.0.1';
    through.port = String(this.port);
    return through.toString();
  }

  cut(mode: OutageMode): void {
    this.outage = mode;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  restore(): void {
    this.outage = undefined;
  }

  async close(): Promise<void> {
    this.cut('refuse');
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket, target: { host: string; port: number }): void {
    this.track(client);
    if (this.outage === 'refuse') {
      client.destroy();
      return;
    }
    if (this.outage === 'blackhole') return;
    const backend = connect(target.port, target.host);
    this.track(backend);
    client.pipe(backend).pipe(client);
    const closeBoth = () => {
      client.destroy();
      backend.destroy();
    };
    client.on('error', closeBoth).on('close', closeBoth);
    backend.on('error', closeBoth).on('close', closeBoth);
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
  }
}
