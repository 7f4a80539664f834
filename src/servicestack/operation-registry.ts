import { Injectable, RequestMethod, type OnApplicationBootstrap } from '@nestjs/common';
import { METHOD_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, HttpAdapterHost, MetadataScanner, ModulesContainer } from '@nestjs/core';
import { GuardsConsumer, GuardsContextCreator } from '@nestjs/core/guards/index.js';
import type { NestContainer } from '@nestjs/core/injector/container.js';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import {
  InterceptorsConsumer,
  InterceptorsContextCreator,
} from '@nestjs/core/interceptors/index.js';
import { PipesConsumer, PipesContextCreator } from '@nestjs/core/pipes/index.js';
import { RouterExecutionContext } from '@nestjs/core/router/router-execution-context.js';
import { PredefinedRouteParamsFactory } from './predefined-route-params.factory.js';
import {
  requestDtoOf,
  SERVICESTACK_OPERATION,
  type ServiceStackOperationMetadata,
} from './servicestack-operation.decorator.js';

export interface ServiceStackOperationEntry {
  /** The request DTO name, as in `/api/{name}`. */
  name: string;
  /**
   * Runs the controller method as its own route would: its guards, interceptors, pipes, status
   * code and headers, and sends the response. Errors are thrown to the caller's filter.
   */
  invoke(req: unknown, res: unknown, next: () => void): Promise<void>;
}

/**
 * Every controller method marked as a ServiceStack operation, by request DTO name
 * (case-insensitive, as ServiceStack matches it). Built once the app is up, so a misuse (no
 * request DTO, two operations with one name) stops the start-up instead of a request.
 */
@Injectable()
export class ServiceStackOperationRegistry implements OnApplicationBootstrap {
  private operations: Map<string, ServiceStackOperationEntry> | undefined;
  private readonly scanner = new MetadataScanner();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly modules: ModulesContainer,
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
    const context = this.executionContext();
    const operations = new Map<string, ServiceStackOperationEntry>();
    for (const wrapper of this.discovery.getControllers()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || !wrapper.host) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const entry = this.entry(context, wrapper, method);
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

  private entry(
    context: RouterExecutionContext,
    wrapper: InstanceWrapper,
    method: string,
  ): ServiceStackOperationEntry | undefined {
    const instance = wrapper.instance as Record<string, unknown>;
    const callback = instance[method] as (...args: unknown[]) => unknown;
    const metadata = Reflect.getMetadata(SERVICESTACK_OPERATION, callback) as
      ServiceStackOperationMetadata | undefined;
    if (!metadata) return undefined;
    // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
    const controller = instance.constructor as Function;
    if (!wrapper.isDependencyTreeStatic()) {
      throw new Error(
        `${controller.name}.${method} is a ServiceStack operation in a request-scoped controller: ` +
          'the predefined routes call singleton controllers only',
      );
    }
    const request = requestDtoOf(controller, method);
    if (!request) {
      throw new Error(
        `${controller.name}.${method} is a ServiceStack operation but takes no request DTO: ` +
          'add a @Body() or @Query() parameter typed with a class-validator DTO',
      );
    }
    const verb =
      (Reflect.getMetadata(METHOD_METADATA, callback) as RequestMethod | undefined) ??
      RequestMethod.POST;
    const handler = context.create(instance, callback, method, wrapper.host!.token, verb);
    return { name: metadata.name ?? request.dto.name, invoke: handler };
  }

  /**
   * Nest's own route pipeline with the module's enhancers (looked up in the controller's module)
   * and without the app's global ones: those already ran for the predefined route itself.
   */
  private executionContext(): RouterExecutionContext {
    const container = { getModules: () => this.modules } as unknown as NestContainer;
    return new RouterExecutionContext(
      new PredefinedRouteParamsFactory(),
      new PipesContextCreator(container),
      new PipesConsumer(),
      new GuardsContextCreator(container),
      new GuardsConsumer(),
      new InterceptorsContextCreator(container),
      new InterceptorsConsumer(),
      this.adapterHost.httpAdapter,
    );
  }
}
