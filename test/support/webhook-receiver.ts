import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Webhook } from 'standardwebhooks';
import type { PaymentEvent } from '../../src/index.js';

/** How the receiver answers one request. */
export type Answer =
  | { status: number; body?: string; headers?: Record<string, string>; delayMs?: number }
  | 'timeout'
  | 'reset'
  | 'hold';

export interface ReceivedRequest {
  path: string;
  webhookId: string;
  receivedAt: number;
  /** Which of the receiver's secrets verified the signature (standardwebhooks' Webhook). */
  verifiedWith: string[];
  event: PaymentEvent | undefined;
  answer: Answer;
}

export interface WebhookReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** Event ids whose effect was applied: once per id, however often it arrives. */
  effects: Map<string, number>;
  /** The most requests for one event id in flight at the same time. */
  maxInFlightPerEvent(): number;
  /** Requests answered `hold`, waiting: answer or drop them. */
  held: { release(status?: number): void; drop(): void }[];
  close(): Promise<void>;
}

/**
 * A webhook receiver on loopback, as a booking system would write one: it verifies each request
 * with the `standardwebhooks` package (never our own code) against every secret it knows, applies
 * an event's effect once per Id, and answers as `answer` says (a status, a timeout, a reset).
 */
export async function startWebhookReceiver(options: {
  secrets: () => string[];
  answer: (request: { n: number; eventId: string; path: string }) => Answer;
}): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const effects = new Map<string, number>();
  const inFlight = new Map<string, number>();
  const held: WebhookReceiver['held'] = [];
  const sockets = new Set<Socket>();
  let maxInFlight = 0;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const webhookId = String(req.headers['webhook-id'] ?? '');
      const headers = {
        'webhook-id': webhookId,
        'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
        'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
      };
      const verifiedWith = options.secrets().filter((secret) => {
        try {
          new Webhook(secret).verify(body, headers);
          return true;
        } catch {
          return false;
        }
      });
      const event = verifiedWith.length ? (JSON.parse(body) as PaymentEvent) : undefined;
      const answer = options.answer({
        n: requests.length + 1,
        eventId: webhookId,
        path: req.url ?? '',
      });
      requests.push({
        path: req.url ?? '',
        webhookId,
        receivedAt: Date.now(),
        verifiedWith,
        event,
        answer,
      });
      inFlight.set(webhookId, (inFlight.get(webhookId) ?? 0) + 1);
      maxInFlight = Math.max(maxInFlight, inFlight.get(webhookId)!);
      let ended = false;
      const done = () => {
        if (ended) return;
        ended = true;
        inFlight.set(webhookId, inFlight.get(webhookId)! - 1);
      };
      res.on('close', done);
      const reply = (status: number, text = '', extra: Record<string, string> = {}) => {
        if (status >= 200 && status < 300 && event)
          effects.set(event.Id, (effects.get(event.Id) ?? 0) + 1);
        res.writeHead(status, { 'content-type': 'text/plain', ...extra }).end(text);
      };
      if (answer === 'reset') req.socket.destroy();
      else if (answer === 'timeout') return;
      else if (answer === 'hold') {
        held.push({
          release: (status = 200) => reply(status, 'ok'),
          drop: () => req.socket.destroy(),
        });
      } else if (!event) reply(400, 'bad signature');
      else
        setTimeout(
          () => reply(answer.status, answer.body ?? '', answer.headers),
          answer.delayMs ?? 0,
        );
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    effects,
    held,
    maxInFlightPerEvent: () => maxInFlight,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
