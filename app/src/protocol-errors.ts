import type { Socket } from 'node:net';
import type { ErrorBody } from 'bokamera-payments';

/** A refusal written before any route runs, as ServiceStack's ResponseStatus like every other. */
interface ProtocolRefusal {
  status: number;
  reason: string;
  code: string;
  message: string;
}

const BAD_REQUEST: ProtocolRefusal = {
  status: 400,
  reason: 'Bad Request',
  code: 'BadRequest',
  message: 'The request is not valid HTTP',
};

/** Node's HTTP parser errors (llhttp codes) → the answer, as Node itself would choose the status. */
const CLIENT_ERRORS: Record<string, ProtocolRefusal> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    reason: 'Request Header Fields Too Large',
    code: 'RequestHeaderFieldsTooLarge',
    message: 'The request line and headers are larger than 16 kB',
  },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: {
    status: 413,
    reason: 'Payload Too Large',
    code: 'PayloadTooLarge',
    message: 'The chunk extensions are too large',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    reason: 'Request Timeout',
    code: 'RequestTimeout',
    message: 'The request was not received in time',
  },
  HPE_INVALID_CHUNK_SIZE: { ...BAD_REQUEST, message: 'The chunked body is not valid' },
  HPE_INVALID_TRANSFER_ENCODING: { ...BAD_REQUEST, message: 'The Transfer-Encoding is not valid' },
  HPE_UNEXPECTED_CONTENT_LENGTH: {
    ...BAD_REQUEST,
    message: 'Content-Length and Transfer-Encoding must not both be sent',
  },
};

/** Fastify's router refusals, before any hook or Nest filter runs. */
const FRAMEWORK_ERRORS: Record<string, ProtocolRefusal> = {
  FST_ERR_BAD_URL: { ...BAD_REQUEST, message: 'The URL is not validly percent-encoded' },
  FST_ERR_MAX_PARAM_LENGTH: {
    status: 414,
    reason: 'URI Too Long',
    code: 'UriTooLong',
    message: 'A segment of the URL path is too long',
  },
};

export function responseStatusJson(code: string, message: string): string {
  return JSON.stringify({
    ResponseStatus: { ErrorCode: code, Message: message, Errors: [] },
  } satisfies ErrorBody);
}

/**
 * The node http server's `clientError` handler (both adapters): a complete HTTP response with a
 * ResponseStatus body, then the connection closes, as Node's own handler does with an empty body.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // Only when nothing of a response went out on this connection yet, or the peer would be confused.
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) {
    const refusal = CLIENT_ERRORS[error.code ?? ''] ?? BAD_REQUEST;
    const body = responseStatusJson(refusal.code, refusal.message);
    socket.write(
      `HTTP/1.1 ${refusal.status} ${refusal.reason}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  }
  socket.destroy(error);
}

interface FastifyReply {
  code(status: number): FastifyReply;
  type(contentType: string): FastifyReply;
  send(body: string): unknown;
}

/** Fastify's `frameworkErrors`: a malformed URL (400) or an over-long route parameter (414). */
export function answerFrameworkError(
  error: { code?: string; statusCode?: number },
  reply: FastifyReply,
): void {
  const status = error.statusCode ?? 500;
  const refusal = FRAMEWORK_ERRORS[error.code ?? ''] ?? {
    status,
    reason: '',
    code: status < 500 ? 'BadRequest' : 'InternalServerError',
    message: 'The request could not be routed',
  };
  reply
    .code(refusal.status)
    .type('application/json; charset=utf-8')
    .send(responseStatusJson(refusal.code, refusal.message));
}
