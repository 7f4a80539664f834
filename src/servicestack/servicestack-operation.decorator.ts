import 'reflect-metadata';
import { isDto, type DtoClass } from './dto-shape.js';
import { operationRequestIndex } from './operation-request.js';
import { routeMethods } from './route-methods.js';

export const SERVICESTACK_OPERATION = 'payments:servicestack-operation';

export interface ServiceStackOperationMetadata {
  /** The request DTO name clients put in `/api/{name}`; defaults to the DTO's class name. */
  name?: string;
}

/**
 * Serves a controller method on ServiceStack's predefined routes too: `/api/{name}` and
 * `/json/reply/{name}` (any verb; GET binds the query string), with the method's own guards,
 * interceptors and pipes. The method takes its request DTO with `@OperationRequest()`.
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
  /** The position of the method's `@OperationRequest()` parameter. */
  index: number;
}

/** The `@OperationRequest()` DTO parameter of a controller method, if any. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function requestDtoOf(controller: Function, method: string): RequestDto | undefined {
  const prototype = controller.prototype as object;
  const index = operationRequestIndex(prototype, method);
  if (index === undefined) return undefined;
  const paramtypes = (Reflect.getMetadata('design:paramtypes', prototype, method) ??
    []) as unknown[];
  const dto = paramtypes[index];
  return isDto(dto) ? { dto, index } : undefined;
}
