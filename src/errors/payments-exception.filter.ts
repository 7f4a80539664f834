import {
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { isDatabaseUnavailable } from '../common/transient-db-error.js';
import { bodyErrorOf } from '../servicestack/body-parser-errors.js';
import { boundedErrorBody } from './bounded-error-body.js';
import { PaymentsException } from './payments.exception.js';
import type { ErrorBody, ResponseError } from './response-status.js';

interface HttpReply {
  status(code: number): HttpReply;
  header(name: string, value: string): HttpReply;
  send(body: string): unknown;
}

/**
 * Maps every error of the module to HTTP and ServiceStack's ResponseStatus; nothing internal leaks
 * and no answer grows past 20 field errors or 32 KB.
 */
@Catch()
export class PaymentsExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Payments');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<HttpReply>();
    const { status, body, retryAfter } = this.describe(exception);
    reply.status(status).header('Content-Type', 'application/json; charset=utf-8');
    if (retryAfter !== undefined) reply.header('Retry-After', String(retryAfter));
    reply.send(boundedErrorBody(body));
  }

  private describe(exception: unknown): { status: number; body: ErrorBody; retryAfter?: number } {
    if (exception instanceof PaymentsException) {
      // ServiceStack reports the first field error's code as the overall code of a validation error.
      const code =
        exception.code === 'ValidationException' && exception.errors[0]
          ? exception.errors[0].ErrorCode
          : exception.code;
      return {
        status: exception.status,
        body: envelope(code, exception.message, exception.errors),
        retryAfter: exception.retryAfter,
      };
    }
    const bodyError = bodyErrorOf(exception instanceof HttpException ? exception.cause : exception);
    if (bodyError) {
      return { status: bodyError.status, body: envelope(bodyError.code, bodyError.message, []) };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return { status, body: envelope(statusCode(status), httpMessage(exception), []) };
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn(`Database unavailable: ${describeUnexpected(exception)}`);
      return {
        status: 503,
        body: envelope(
          'DatabaseUnavailable',
          'The database is not available; try again shortly',
          [],
        ),
        retryAfter: 5,
      };
    }
    const errorId = randomUUID();
    this.logger.error(`Unexpected error ${errorId}: ${describeUnexpected(exception)}`);
    return {
      status: 500,
      body: envelope(
        'InternalServerError',
        `An unexpected error occurred (error id ${errorId})`,
        [],
        {
          ErrorId: errorId,
        },
      ),
    };
  }
}

function envelope(
  code: string,
  message: string,
  errors: ResponseError[],
  meta?: Record<string, string>,
): ErrorBody {
  return {
    ResponseStatus: {
      ErrorCode: code,
      Message: message,
      Errors: errors,
      ...(meta && { Meta: meta }),
    },
  };
}

/** `HttpStatus.PAYLOAD_TOO_LARGE` → `PayloadTooLarge`, the style of ServiceStack's codes. */
function statusCode(status: number): string {
  const name = HttpStatus[status] as string | undefined;
  if (!name) return `Http${status}`;
  return name
    .toLowerCase()
    .split('_')
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join('');
}

function httpMessage(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  return typeof message === 'string' ? message : exception.message;
}

/** Name and first stack frame only: driver errors can carry SQL and parameters. */
function describeUnexpected(exception: unknown): string {
  if (!(exception instanceof Error)) return typeof exception;
  const frame = exception.stack?.split('\n')[1]?.trim() ?? '';
  return `${exception.name} ${frame}`;
}
