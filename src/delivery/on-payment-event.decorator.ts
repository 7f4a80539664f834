import 'reflect-metadata';
import type { PaymentEventType } from '../events/payment-event.js';

export const ON_PAYMENT_EVENT = 'payments:on-payment-event';

export type PaymentEventSubscription = PaymentEventType | '*';

/**
 * Marks a provider's method as a handler of payment events of a type (or `'*'` for all): it is
 * called with each `PaymentEvent` at least once, again later with the same `Id` when it throws,
 * never twice at the same time for one event. Make its effect idempotent by the event's `Id`.
 */
export function OnPaymentEvent(...types: PaymentEventSubscription[]): MethodDecorator {
  return (_target, _key, descriptor) => {
    const method = descriptor.value as object;
    const known = (Reflect.getMetadata(ON_PAYMENT_EVENT, method) ?? []) as string[];
    Reflect.defineMetadata(ON_PAYMENT_EVENT, [...known, ...types], method);
    return descriptor;
  };
}

export function subscribedTo(types: readonly string[], type: string): boolean {
  return types.includes('*') || types.includes(type);
}
