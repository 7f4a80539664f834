import http from 'node:http';

/** An HTTP answer, or the connection error that came instead. */
export type Reply<T> =
  | {
      kind: 'answer';
      status: number;
      body: Record<string, unknown>;
      retryAfter: string | null;
      seen: T;
    }
  | { kind: 'no-answer'; error: string };

export interface CallOptions<T> {
  port: number;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  /**
   * Called synchronously the moment the answer's headers arrive, before its body is read: what
   * the test sees of Stripe "when the answer arrived".
   */
  onArrival: () => T;
}

/** No answer within this is a hang, reported like a connection error (and judged the same way). */
const CALL_TIMEOUT_MS = 30_000;

/**
 * One request on a fresh connection (no keep-alive: a socket pooled to a killed instance would
 * fail a request meant for its successor on the same port).
 */
export function call<T>(options: CallOptions<T>): Promise<Reply<T>> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port: options.port,
        method: options.method,
        path: options.path,
        agent: false,
        timeout: CALL_TIMEOUT_MS,
        headers: {
          'x-api-key': 'demo-api-key',
          ...(payload !== undefined && {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
          }),
        },
      },
      (response) => {
        const seen = options.onArrival();
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error) => resolve({ kind: 'no-answer', error: error.message }));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let body: Record<string, unknown>;
          try {
            body = JSON.parse(text) as Record<string, unknown>;
          } catch {
            body = { unparsed: text.slice(0, 200) };
          }
          const retryAfter = response.headers['retry-after'];
          resolve({
            kind: 'answer',
            status: response.statusCode ?? 0,
            body,
            retryAfter: typeof retryAfter === 'string' ? retryAfter : null,
            seen,
          });
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer in ${CALL_TIMEOUT_MS} ms`)));
    request.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ kind: 'no-answer', error: error.code ?? error.message }),
    );
    request.end(payload);
  });
}

/** The ServiceStack error code of an error body, if any. */
export function errorCode(body: Record<string, unknown>): string | undefined {
  const status = body.ResponseStatus as { ErrorCode?: string } | undefined;
  return status?.ErrorCode;
}
