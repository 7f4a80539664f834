import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { PaymentEvent } from '../events/payment-event.js';
import { ON_PAYMENT_EVENT, subscribedTo } from './on-payment-event.decorator.js';

export interface PaymentEventHandler {
  /** `handler:<Class>.<method>`: the delivery's subscriber. */
  key: string;
  types: readonly string[];
  call(event: PaymentEvent): Promise<unknown>;
}

export const HANDLER_PREFIX = 'handler:';

/** The host's `@OnPaymentEvent` methods, found among every provider at application bootstrap. */
@Injectable()
export class PaymentEventHandlers implements OnApplicationBootstrap {
  private handlers = new Map<string, PaymentEventHandler>();
  private readonly scanner = new MetadataScanner();

  constructor(private readonly discovery: DiscoveryService) {}

  onApplicationBootstrap(): void {
    this.handlers = this.discover();
  }

  forType(type: string): PaymentEventHandler[] {
    return [...this.handlers.values()].filter((handler) => subscribedTo(handler.types, type));
  }

  find(key: string): PaymentEventHandler | undefined {
    return this.handlers.get(key);
  }

  private discover(): Map<string, PaymentEventHandler> {
    const found = new Map<string, PaymentEventHandler>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const method = instance[name] as (event: PaymentEvent) => unknown;
        const types = Reflect.getMetadata(ON_PAYMENT_EVENT, method) as string[] | undefined;
        if (!types?.length) continue;
        const key = `${HANDLER_PREFIX}${instance.constructor.name}.${name}`;
        if (found.has(key)) throw new Error(`Two @OnPaymentEvent handlers are named ${key}`);
        found.set(key, { key, types, call: async (event) => method.call(instance, event) });
      }
    }
    return found;
  }
}
