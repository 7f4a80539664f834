import 'reflect-metadata';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/internal';
import { isDto, type DtoClass } from './dto-shape.js';
import { routeMethods } from './route-methods.js';

export const SERVICESTACK_OPERATION = 'payments:servicestack-operation';

export interface ServiceStackOperationMetadata {
  /** The request DTO name clients put in `/api/{name}`; defaults to the DTO's class name. */
  name?: string;
}

/**
 * Serves a controller method on ServiceStack's predefined routes too: `/api/{name}` and
 * `/json/reply/{name}` (any verb; GET binds the query string), with the method's own guards,
 * interceptors and pipes. The method takes its request DTO with `@Body()` or `@Query()`.
 * Every operation of a `@PaymentsApi` controller joins without it; use it to rename one, or on
 * a host app's own controller.
 */
export function ServiceStackOperation(name?: string): MethodDecorator {
  return (_target, _key, descriptor) => {
    Reflect.defineMetadata(SERVICESTACK_OPERATION, { name }, descriptor.value as object);
    return descriptor;
  };
}

/** Class decorator: marks every route method of the controller that takes a request DTO. */
export function ServiceStackOperations(): ClassDecorator {
  return (controller) => {
    for (const [key, method] of routeMethods(controller)) {
      if (Reflect.hasMetadata(SERVICESTACK_OPERATION, method)) continue;
      if (!requestDtoOf(controller, key)) continue;
      Reflect.defineMetadata(SERVICESTACK_OPERATION, {}, method);
    }
  };
}

export interface RequestDto {
  dto: DtoClass;
  /** Which decorator takes it: `@Body()` or `@Query()`. */
  from: 'body' | 'query';
}

/** The whole-object `@Body()` / `@Query()` DTO parameter of a controller method, if any. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function requestDtoOf(controller: Function, method: string): RequestDto | undefined {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<
    string,
    { index: number; data?: unknown }
  >;
  const paramtypes = (Reflect.getMetadata(
    'design:paramtypes',
    controller.prototype as object,
    method,
  ) ?? []) as unknown[];
  for (const [key, { index, data }] of Object.entries(args)) {
    const type = Number(key.split(':')[0]);
    if (data !== undefined || !isDto(paramtypes[index])) continue;
    if (type === Number(RouteParamtypes.BODY)) return { dto: paramtypes[index], from: 'body' };
    if (type === Number(RouteParamtypes.QUERY)) return { dto: paramtypes[index], from: 'query' };
  }
  return undefined;
}
