import 'reflect-metadata';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import { routeMethods } from './route-methods.js';

export const JSON_SUFFIX = '.json';

/** `payment/stripe/v1/checkout` → both it and `payment/stripe/v1/checkout.json`. */
export function withJsonSuffix(path: string): string[] {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  return [trimmed, `${trimmed}${JSON_SUFFIX}`];
}

/**
 * ServiceStack answers `/route.json` like `/route`. A suffix cannot be expressed as a method
 * path below the controller's (Nest joins them with "/"), so this class decorator moves the
 * controller path into each route method's paths, declared twice: routes, not URL rewriting,
 * so it works the same under Express and Fastify and behind a host's global prefix.
 */
export function JsonSuffixRoutes(controllerPath: string): ClassDecorator {
  return (controller) => {
    Reflect.defineMetadata(PATH_METADATA, '/', controller);
    for (const [, method] of routeMethods(controller)) {
      const paths = [Reflect.getMetadata(PATH_METADATA, method) as string | string[] | undefined]
        .flat()
        .map((path) => joinPath(controllerPath, path ?? ''));
      Reflect.defineMetadata(PATH_METADATA, paths.flatMap(withJsonSuffix), method);
    }
  };
}

function joinPath(...parts: string[]): string {
  return parts
    .map((part) => part.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/');
}
