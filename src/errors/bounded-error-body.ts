import type { ErrorBody, ResponseError } from './response-status.js';

/** However many problems a request has, its answer names at most this many... */
export const MAX_FIELD_ERRORS = 20;
/** ...and is at most this large, so a small hostile request never buys a large answer. */
export const MAX_ERROR_BODY_BYTES = 32 * 1024;
/** A code, field name or message longer than this (a field named by the client) is cut. */
const MAX_TEXT_LENGTH = 500;

/** The error body as JSON, bounded: the first field errors, each text cut to a readable length. */
export function boundedErrorBody(body: ErrorBody): string {
  const status = body.ResponseStatus;
  const errors = status.Errors.slice(0, MAX_FIELD_ERRORS).map(clipError);
  const meta =
    status.Errors.length > errors.length
      ? { ...status.Meta, TotalErrors: String(status.Errors.length) }
      : status.Meta;
  const serialize = () =>
    JSON.stringify({
      ResponseStatus: {
        ErrorCode: clip(status.ErrorCode),
        Message: clip(status.Message),
        Errors: errors,
        ...(meta && { Meta: meta }),
      },
    } satisfies ErrorBody);
  let text = serialize();
  // Escapes can make a short text long (a control character is six bytes of JSON).
  while (Buffer.byteLength(text) > MAX_ERROR_BODY_BYTES && errors.length > 0) {
    errors.pop();
    text = serialize();
  }
  return text;
}

function clipError(error: ResponseError): ResponseError {
  return {
    ErrorCode: clip(error.ErrorCode),
    FieldName: clip(error.FieldName),
    Message: clip(error.Message),
  };
}

function clip(text: string): string {
  if (text.length <= MAX_TEXT_LENGTH) return text;
  let end = MAX_TEXT_LENGTH - 1;
  // Never cut a surrogate pair in two.
  if (/[\ud800-\udbff]/.test(text[end - 1])) end--;
  return `${text.slice(0, end)}…`;
}
