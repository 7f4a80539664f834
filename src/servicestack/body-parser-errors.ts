import type { INestApplication } from '@nestjs/common';
import type { ErrorBody } from '../errors/response-status.js';

/** 100 kB, as ServiceStack and body-parser default to. */
export const BODY_LIMIT_BYTES = 100 * 1024;

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

/** Fastify's content-type parser errors → the same codes and messages. */
const FASTIFY_BODY_ERRORS: Record<string, [code: string, message: string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: BODY_ERRORS['entity.parse.failed'],
  FST_ERR_CTP_EMPTY_JSON_BODY: BODY_ERRORS['entity.parse.failed'],
  FST_ERR_CTP_BODY_TOO_LARGE: BODY_ERRORS['entity.too.large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['UnsupportedMediaType', 'The Content-Type is not supported'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: BODY_ERRORS['request.size.invalid'],
};

export interface BodyError {
  status: number;
  code: string;
  message: string;
}

/** A body parser's error (body-parser's `type`, or Fastify's `code`), as we answer it. */
export function bodyErrorOf(error: unknown): BodyError | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const { type, code, status, statusCode } = error as Record<string, unknown>;
  const httpStatus = typeof status === 'number' ? status : statusCode;
  if (typeof httpStatus !== 'number' || httpStatus < 400 || httpStatus >= 500) return undefined;
  const known =
    typeof type === 'string'
      ? (BODY_ERRORS[type] ?? ['BadRequest', 'The request body is not valid'])
      : typeof code === 'string'
        ? FASTIFY_BODY_ERRORS[code]
        : undefined;
  return known && { status: httpStatus, code: known[0], message: known[1] };
}

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
  express.useBodyParser('json', { limit: BODY_LIMIT_BYTES });
  express.useBodyParser('urlencoded', { extended: true, limit: BODY_LIMIT_BYTES });
  app.use(bodyParserErrorHandler);
}

export function bodyParserErrorHandler(
  error: unknown,
  _request: unknown,
  reply: ErrorReply,
  next: (error?: unknown) => void,
): void {
  const bodyError = bodyErrorOf(error);
  if (!bodyError || reply.headersSent) return next(error);
  const body: ErrorBody = {
    ResponseStatus: { ErrorCode: bodyError.code, Message: bodyError.message, Errors: [] },
  };
  reply.status(bodyError.status);
  reply.setHeader('Content-Type', 'application/json; charset=utf-8');
  reply.end(JSON.stringify(body));
}
