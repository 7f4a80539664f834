import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, ExternalContextCreator, MetadataScanner } from '@nestjs/core';
import { PredefinedRouteParamsFactory } from './predefined-route-params.factory.js';
import {
  requestDtoOf,
  SERVICESTACK_OPERATION,
  type ServiceStackOperationMetadata,
} from './servicestack-operation.decorator.js';

export interface ServiceStackOperationEntry {
  /** The request DTO name, as in `/api/{name}`. */
  name: string;
  /** Runs the controller method with its own guards, interceptors and pipes. */
  invoke(req: unknown, res: unknown): Promise<unknown>;
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
  private readonly paramsFactory = new PredefinedRouteParamsFactory();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly contextCreator: ExternalContextCreator,
  ) {}

  onApplicationBootstrap(): void {
    this.operations ??= this.discover();
  }

  find(name: string): ServiceStackOperationEntry | undefined {
    this.operations ??= this.discover();
    return this.operations.get(name.toLowerCase());
  }

  names(): string[] {
    this.operations ??= this.discover();
    return [...this.operations.values()].map((operation) => operation.name).sort();
  }

  private discover(): Map<string, ServiceStackOperationEntry> {
    const operations = new Map<string, ServiceStackOperationEntry>();
    for (const wrapper of this.discovery.getControllers()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const entry = this.entry(instance, method);
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

  private entry(instance: Record<string, unknown>, method: string): ServiceStackOperationEntry | undefined {
    const callback = instance[method] as (...args: unknown[]) => unknown;
    const metadata = Reflect.getMetadata(SERVICESTACK_OPERATION, callback) as
      | ServiceStackOperationMetadata
      | undefined;
    if (!metadata) return undefined;
    const controller = instance.constructor as new () => unknown;
    const request = requestDtoOf(controller, method);
    if (!request) {
      throw new Error(
        `${controller.name}.${method} is a ServiceStack operation but takes no request DTO: ` +
          'add a @Body() or @Query() parameter typed with a class-validator DTO',
      );
    }
    const handler = this.contextCreator.create(
      instance,
      callback,
      method,
      ROUTE_ARGS_METADATA,
      this.paramsFactory,
      undefined,
      undefined,
      // Errors propagate to the predefined route's own PaymentsExceptionFilter (the module's one).
      { guards: true, interceptors: true, filters: false },
      'http',
    ) as (...args: unknown[]) => Promise<unknown>;
    return {
      name: metadata.name ?? request.dto.name,
      invoke: (req, res) => handler(req, res, undefined),
    };
  }
}
