import { METHOD_METADATA } from '@nestjs/common/constants.js';

/** The route handlers a controller class declares itself: `[name, method]` pairs. */
export function* routeMethods(controller: { prototype: object }): Generator<[string, object]> {
  for (const key of Object.getOwnPropertyNames(controller.prototype)) {
    const method: unknown = Object.getOwnPropertyDescriptor(controller.prototype, key)?.value;
    if (typeof method !== 'function' || key === 'constructor') continue;
    if (Reflect.getMetadata(METHOD_METADATA, method) !== undefined) yield [key, method];
  }
}
