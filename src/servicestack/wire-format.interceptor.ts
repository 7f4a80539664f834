import {
  Injectable,
  NotAcceptableException,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { map, type Observable } from 'rxjs';
import { PaymentsException } from '../errors/payments.exception.js';
import { queryStringOf, refuseMalformedText } from './well-formed-wire.js';
import { FORM_CONTENT_TYPE } from './wire-sources.js';

interface FormatRequest {
  method: string;
  /** Express keeps the URL as received in originalUrl; Fastify in url. */
  url?: string;
  originalUrl?: string;
  headers: Record<string, string | string[] | undefined>;
  query?: Record<string, unknown>;
  body?: unknown;
  rawBody?: Buffer;
}

/** A JavaScript identifier path (`fn`, `jQuery123_456`, `app.callbacks.$done`) and nothing else. */
const CALLBACK_NAME = /^[A-Za-z0-9_.$]{1,128}$/;

/**
 * ServiceStack's format selection on every operation: JSON is the only format served, whatever
 * `Accept` says (`?format=json` and the `.json` route suffix get it too; another `?format=` is a
 * 406 before anything runs); `?callback=fn` on a GET answers JSONP
 * `fn({...})` as `application/javascript`.
 * Bodies, forms and query strings that are not UTF-8 are refused before anything binds them.
 */
@Injectable()
export class WireFormatInterceptor implements NestInterceptor {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FormatRequest>();
    const format = single(request.query?.format);
    if (format !== undefined && format.toLowerCase() !== 'json') {
      throw new NotAcceptableException(`Only JSON is served: use ?format=json or leave format out`);
    }
    const isForm = String(request.headers['content-type'] ?? '')
      .toLowerCase()
      .startsWith(FORM_CONTENT_TYPE);
    refuseMalformedText({
      queryString: queryStringOf(request.originalUrl ?? request.url),
      formBody: isForm ? request.rawBody?.toString('utf8') : undefined,
      rawBody: request.rawBody,
    });
    const callback = request.method === 'GET' ? single(request.query?.callback) : undefined;
    if (callback === undefined) return next.handle();
    if (!CALLBACK_NAME.test(callback)) {
      const message = 'callback may contain only letters, digits, "_", "." and "$"';
      throw new PaymentsException('ValidationException', message, [
        { ErrorCode: 'RegularExpression', FieldName: 'callback', Message: message },
      ]);
    }
    const response: unknown = context.switchToHttp().getResponse();
    return next.handle().pipe(
      map((body) => {
        const adapter = this.adapterHost.httpAdapter;
        adapter.setHeader(response, 'Content-Type', 'application/javascript; charset=utf-8');
        adapter.setHeader(response, 'X-Content-Type-Options', 'nosniff');
        return `${callback}(${JSON.stringify(body ?? null)})`;
      }),
    );
  }
}

function single(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined;
}
