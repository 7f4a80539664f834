import { Injectable, RequestMethod, type OnApplicationBootstrap } from '@nestjs/common';
import {
  CUSTOM_ROUTE_ARGS_METADATA,
  HTTP_CODE_METADATA,
  METHOD_METADATA,
  ROUTE_ARGS_METADATA,
} from '@nestjs/common/constants.js';
import {
  DiscoveryService,
  ExternalContextCreator,
  HttpAdapterHost,
  MetadataScanner,
} from '@nestjs/core';
import {
  requestDtoOf,
  SERVICESTACK_OPERATION,
  type ServiceStackOperationMetadata,
} from './servicestack-operation.decorator.js';

export interface ServiceStackOperationEntry {
  /** The request DTO name, as in `/api/{name}`. */
  name: string;
  /**
   * Runs the controller method as its own route would — its guards, interceptors and pipes, with
   * its status code — and sends the response. Errors are thrown to the caller's filter.
   */
  invoke(req: unknown, res: unknown, next: () => void): Promise<void>;
}

type Handler = (...args: unknown[]) => Promise<unknown>;
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Controller = Function;

/** Operations take their input only through `@OperationRequest()`: nothing else to supply. */
const NO_STANDARD_PARAMS = { exchangeKeyForValue: () => undefined };

/**
 * Every controller method marked as a ServiceStack operation, by request DTO name
 * (case-insensitive, as ServiceStack matches it), callable through Nest's ExternalContextCreator
 * — the public door for running a handler with its enhancers outside the router. Built once the
 * app is up, so a misuse (no request DTO, two operations with one name) stops the start-up.
 */
@Injectable()
export class ServiceStackOperationRegistry implements OnApplicationBootstrap {
  private operations: Map<string, ServiceStackOperationEntry> | undefined;
  private readonly scanner = new MetadataScanner();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly contexts: ExternalContextCreator,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onApplicationBootstrap(): void {
    this.operations = this.discover();
  }

  find(name: string): ServiceStackOperationEntry | undefined {
    return this.discovered().get(name.toLowerCase());
  }

  names(): string[] {
    return [...this.discovered().values()].map((operation) => operation.name).sort();
  }

  private discovered(): Map<string, ServiceStackOperationEntry> {
    if (!this.operations)
      throw new Error('ServiceStack operations are read at application bootstrap');
    return this.operations;
  }

  private discover(): Map<string, ServiceStackOperationEntry> {
    const operations = new Map<string, ServiceStackOperationEntry>();
    for (const wrapper of this.discovery.getControllers()) {
      const prototype = (wrapper.metatype as { prototype?: object } | null)?.prototype;
      if (!prototype) continue;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        if (
          !Reflect.hasMetadata(
            SERVICESTACK_OPERATION,
            (prototype as Record<string, object>)[method],
          )
        ) {
          continue;
        }
        const entry = this.entry(this.providerOf(wrapper.metatype as Controller), method);
        if (!entry) continue;
        const key = entry.name.toLowerCase();
        if (operations.has(key)) {
          throw new Error(`Two ServiceStack operations are named ${entry.name}: rename one`);
        }
        operations.set(key, entry);
      }
    }
    return operations;
  }

  /**
   * ExternalContextCreator finds a handler's module (and so its guards, pipes and interceptors)
   * among providers: an operation's controller is listed as a provider of its module too.
   */
  private providerOf(controller: Controller): object {
    const provider = this.discovery
      .getProviders()
      .find((wrapper) => wrapper.metatype === controller && wrapper.instance);
    if (!provider?.isDependencyTreeStatic()) {
      throw new Error(
        `${controller.name} has ServiceStack operations: list it in its module's providers too ` +
          '(a singleton), so the predefined routes run it with its guards, pipes and interceptors',
      );
    }
    return provider.instance as object;
  }

  private entry(instance: object, method: string): ServiceStackOperationEntry | undefined {
    const callback = (instance as Record<string, unknown>)[method] as Handler;
    const metadata = Reflect.getMetadata(SERVICESTACK_OPERATION, callback) as
      ServiceStackOperationMetadata | undefined;
    if (!metadata) return undefined;
    const controller = instance.constructor as Controller;
    const where = `${controller.name}.${method} is a ServiceStack operation`;
    const request = requestDtoOf(controller, method);
    if (!request || this.hasOtherParams(controller, method)) {
      throw new Error(
        `${where}: it must take exactly one parameter, its request DTO, with @OperationRequest()`,
      );
    }
    const handler = this.contexts.create(
      instance,
      callback,
      method,
      ROUTE_ARGS_METADATA,
      NO_STANDARD_PARAMS,
      undefined,
      undefined,
      { guards: true, interceptors: true, filters: false },
      'http',
    ) as Handler;
    const status = this.statusOf(callback);
    return {
      name: metadata.name ?? request.dto.name,
      invoke: async (req, res, next) => {
        const body = await handler(req, res, next);
        this.adapterHost.httpAdapter.reply(res, body, status);
      },
    };
  }

  private hasOtherParams(controller: Controller, method: string): boolean {
    const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as object;
    return Object.keys(args).some((key) => !key.includes(CUSTOM_ROUTE_ARGS_METADATA));
  }

  /** The method's `@HttpCode()`, else Nest's default: 201 for POST, 200 otherwise. */
  private statusOf(callback: Handler): number {
    const code = Reflect.getMetadata(HTTP_CODE_METADATA, callback) as number | undefined;
    if (code !== undefined) return code;
    const verb = Reflect.getMetadata(METHOD_METADATA, callback) as RequestMethod | undefined;
    return verb === RequestMethod.POST ? 201 : 200;
  }
}
