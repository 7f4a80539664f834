import type * as NestSwagger from '@nestjs/swagger';

export type SwaggerLibrary = typeof NestSwagger;
type AnyDecorator = ClassDecorator | MethodDecorator | PropertyDecorator;

const pending: ((swagger: SwaggerLibrary) => void)[] = [];

/**
 * A `@nestjs/swagger` decorator, applied only when a host asks for the OpenAPI document
 * (`setupSwagger`): the module runs without `@nestjs/swagger` installed, an optional peer.
 */
export function Docs(
  decorator: (swagger: SwaggerLibrary) => AnyDecorator,
): ClassDecorator & MethodDecorator & PropertyDecorator {
  return ((target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
    pending.push((swagger) =>
      (decorator(swagger) as (...args: unknown[]) => unknown)(target, key, descriptor),
    );
  }) as ClassDecorator & MethodDecorator & PropertyDecorator;
}

/** Applies every pending documentation decorator, once, in the order they were declared. */
export function applyDocs(swagger: SwaggerLibrary): void {
  for (const apply of pending.splice(0)) apply(swagger);
}
