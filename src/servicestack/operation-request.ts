import 'reflect-metadata';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import {
  FORM_CONTENT_TYPE,
  parseFormText,
  restructure,
  withoutReservedParams,
  type WireSource,
} from './wire-sources.js';

/** An operation's request as it came over the wire, before ServiceStack's binding rules. */
export class WireRequest {
  /**
   * The HTTP request: its caller is checked against the bound DTO. Not enumerable: a host's global
   * pipe that also transforms custom decorators' values (`validateCustomDecorators`) would walk
   * into its socket, and class-transformer's `new` of the native TCP handle aborts the process.
   */
  declare readonly request: object;

  constructor(
    readonly fields: unknown,
    readonly source: WireSource,
    request: object,
  ) {
    Object.defineProperty(this, 'request', { value: request, enumerable: false });
  }
}

interface HttpRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  query?: Record<string, unknown>;
  params?: Record<string, unknown>;
  body?: unknown;
  rawBody?: Buffer;
}

const OPERATION_REQUEST = 'payments:operation-request';

/** Verbs whose request DTO is read from the query string, as ServiceStack does. */
const QUERY_VERBS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);

const wireRequest = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const request = context.switchToHttp().getRequest<HttpRequest>();
  return withPathParams(wireRequestOf(request), pathParams(request, context.getHandler()));
});

/**
 * The request DTO of an operation, bound by ServiceStack's rules and validated by the module's own
 * pipe, on its custom route and on the predefined routes alike: from the query string on GET (and
 * the other body-less verbs), else from the JSON or form body (an empty body falls back to the
 * query string). A custom decorator: a host's global ValidationPipe leaves it alone.
 */
export function OperationRequest(): ParameterDecorator {
  return (target, key, index) => {
    Reflect.defineMetadata(OPERATION_REQUEST, index, target, key as string);
    wireRequest()(target, key, index);
  };
}

/** The position of a method's `@OperationRequest()` parameter, if it has one. */
export function operationRequestIndex(prototype: object, method: string): number | undefined {
  return Reflect.getMetadata(OPERATION_REQUEST, prototype, method) as number | undefined;
}

function wireRequestOf(request: HttpRequest): WireRequest {
  const query = withoutReservedParams(restructure(request.query ?? {}));
  if (!QUERY_VERBS.has(request.method.toUpperCase()) && hasBody(request)) {
    if (isForm(request)) return new WireRequest(under(formFields(request), query), 'form', request);
    return new WireRequest(under(request.body, query), 'json', request);
  }
  return new WireRequest(query, 'query', request);
}

/**
 * As in ServiceStack, a body's request also takes fields from the query string (`CompanyId` in
 * either); the body's own spelling of a field wins.
 */
function under(body: unknown, query: Record<string, unknown>): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const own = new Set(Object.keys(body).map((key) => key.toLowerCase()));
  const extra = Object.entries(query).filter(([key]) => !own.has(key.toLowerCase()));
  return extra.length ? { ...Object.fromEntries(extra), ...body } : body;
}

/**
 * The `{Id}` of a route such as `webhook/endpoints/:Id`, bound like any other field (and over the
 * body's or query's own). Only the parameters of the operation's own route: on a predefined route
 * (`/api/:operation`) the operation's name is not one of its request's fields.
 */
function pathParams(request: HttpRequest, handler: object): Record<string, string> {
  const paths = [
    Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined,
  ].flat();
  const names = new Set(
    paths.flatMap((path) => [...(path ?? '').matchAll(/:(\w+)/g)].map((m) => m[1])),
  );
  const params: Record<string, string> = {};
  for (const name of names) {
    const value = request.params?.[name];
    if (typeof value === 'string') params[name] = value;
  }
  return params;
}

function withPathParams(wire: WireRequest, params: Record<string, string>): WireRequest {
  const { fields } = wire;
  if (Object.keys(params).length === 0) return wire;
  if (
    fields !== undefined &&
    (typeof fields !== 'object' || fields === null || Array.isArray(fields))
  ) {
    return wire;
  }
  return new WireRequest(
    { ...(fields as object | undefined), ...params },
    wire.source,
    wire.request,
  );
}

function hasBody({ body, rawBody }: HttpRequest): boolean {
  if (rawBody) return rawBody.length > 0;
  if (body === undefined || body === null) return false;
  return typeof body !== 'object' || Array.isArray(body) || Object.keys(body).length > 0;
}

function isForm(request: HttpRequest): boolean {
  return String(request.headers['content-type'] ?? '')
    .toLowerCase()
    .startsWith(FORM_CONTENT_TYPE);
}

/** Express's extended form parser would split `Articles[0].ArticleId` wrong: read the raw body. */
function formFields({ rawBody, body }: HttpRequest): Record<string, unknown> {
  if (rawBody) return parseFormText(rawBody.toString('utf8'));
  if (typeof body === 'string') return parseFormText(body);
  return restructure((body ?? {}) as Record<string, unknown>);
}
