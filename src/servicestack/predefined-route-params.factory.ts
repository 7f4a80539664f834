import type { ParamData } from '@nestjs/common';
import { RouteParamtypes } from '@nestjs/common/internal';
import type { IRouteParamsFactory } from '@nestjs/core/router/interfaces/route-params-factory.interface.js';
import { RouteParamsFactory } from '@nestjs/core/router/route-params-factory.js';
import { markWireSource, wireSourceOf } from './wire-sources.js';

interface PredefinedRequest {
  method: string;
  body?: unknown;
  query?: Record<string, unknown>;
}

/** Verbs whose request DTO is read from the query string, as ServiceStack does. */
const QUERY_VERBS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);

/**
 * Parameters of an operation called through `/api/{Dto}`: its request DTO comes from the
 * query string on GET (and the other body-less verbs) and from the body otherwise, whether the
 * method takes it with `@Body()` or `@Query()` (a POST with an empty body falls back to the query
 * string). Every other parameter resolves as on the operation's own route.
 */
export class PredefinedRouteParamsFactory implements IRouteParamsFactory {
  private readonly nest = new RouteParamsFactory();

  exchangeKeyForValue<TRequest extends Record<string, unknown>, TResponse, TResult>(
    type: RouteParamtypes | string,
    data: ParamData | undefined,
    { req, res, next }: { req: TRequest; res: TResponse; next: () => void },
  ): TResult | null {
    if (Number(type) !== RouteParamtypes.BODY && Number(type) !== RouteParamtypes.QUERY) {
      return this.nest.exchangeKeyForValue(type, data as string, { req, res, next });
    }
    const fields = requestFields(req as unknown as PredefinedRequest);
    return (
      typeof data === 'string' && fields && typeof fields === 'object'
        ? (fields as Record<string, unknown>)[data]
        : fields
    ) as TResult;
  }
}

function requestFields(req: PredefinedRequest): unknown {
  const { body } = req;
  const hasBody =
    body !== undefined &&
    body !== null &&
    (typeof body !== 'object' || Array.isArray(body) || Object.keys(body).length > 0);
  if (!QUERY_VERBS.has(req.method.toUpperCase()) && hasBody) {
    // A form body is marked by the WireFormatInterceptor already; any other object body is JSON.
    if (typeof body === 'object' && !wireSourceOf(body)) markWireSource(body, 'json');
    return body;
  }
  return markWireSource({ ...(req.query ?? {}) }, 'query');
}
