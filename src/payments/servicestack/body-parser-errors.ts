import type { INestApplication } from '@nestjs/common';
import type { ErrorBody } from '../errors/response-status.js';

export const BODY_LIMIT = '100kb';

interface BodyParserError {
  type: string;
  status: number;
}

interface ErrorReply {
  headersSent: boolean;
  status(code: number): ErrorReply;
  setHeader(name: string, value: string): unknown;
  end(body: string): unknown;
}

/** body-parser's error types → ServiceStack's code and a message of ours (theirs quote the body). */
const BODY_ERRORS: Record<string, [code: string, message: string]> = {
  'entity.parse.failed': ['SerializationException', 'The request body could not be parsed'],
  'entity.too.large': ['PayloadTooLarge', 'The request body is larger than 100 kB'],
  'parameters.too.many': ['PayloadTooLarge', 'The form has too many fields'],
  'charset.unsupported': ['UnsupportedMediaType', 'Send the request body as UTF-8'],
  'encoding.unsupported': ['UnsupportedMediaType', 'The Content-Encoding is not supported'],
  'request.aborted': ['BadRequest', 'The request body was not received completely'],
  'request.size.invalid': ['BadRequest', 'The request body does not match Content-Length'],
};

/**
 * Malformed JSON (400) and a too large body (413) are found by the body parsers, before any
 * route: the module's exception filter never sees them. On an Express app this registers the
 * JSON and form parsers (limit 100 kB, raw body kept when the app has `rawBody: true`) followed
 * by an error handler that answers them as ServiceStack's ResponseStatus. Call it before
 * `app.listen()`/`app.init()`; Nest then skips its own parsers. Other adapters: a no-op.
 */
export function useServiceStackBodyParsers(app: INestApplication): void {
  if (app.getHttpAdapter().getType() !== 'express') return;
  const express = app as INestApplication & {
    useBodyParser(type: string, options?: Record<string, unknown>): unknown;
  };
  express.useBodyParser('json', { limit: BODY_LIMIT });
  express.useBodyParser('urlencoded', { extended: true, limit: BODY_LIMIT });
  app.use(bodyParserErrorHandler);
}

export function bodyParserErrorHandler(
  error: unknown,
  _request: unknown,
  reply: ErrorReply,
  next: (error?: unknown) => void,
): void {
  if (!isBodyParserError(error) || reply.headersSent) return next(error);
  const [code, message] = BODY_ERRORS[error.type] ?? [
    'BadRequest',
    'The request body is not valid',
  ];
  const body: ErrorBody = { ResponseStatus: { ErrorCode: code, Message: message, Errors: [] } };
  reply.status(error.status);
  reply.setHeader('Content-Type', 'application/json; charset=utf-8');
  reply.end(JSON.stringify(body));
}

function isBodyParserError(error: unknown): error is BodyParserError {
  if (!error || typeof error !== 'object') return false;
  const { type, status } = error as Partial<BodyParserError>;
  return typeof type === 'string' && typeof status === 'number' && status >= 400 && status < 500;
}
