import type { ExecutionContext } from '@nestjs/common';

/** Who is calling an operation, as the module's auth guard (or a host's) established it. */
export interface PaymentsCaller {
  /** A stable identity for rate limits and logs, never a secret: e.g. `api-key:12`, `user:ada`. */
  id: string;
  /** The companies this caller may act for; `'*'` for every company (a platform caller). */
  companies: '*' | readonly string[];
}

/**
 * What a host implements to replace the module's `x-api-key` authentication (module option
 * `authGuard`): it answers who the caller is and which companies it may act for, or undefined for
 * a 401. The module checks the companies against the request's bound `CompanyId` itself.
 */
export interface PaymentsAuthGuard {
  authenticate(
    context: ExecutionContext,
  ): PaymentsCaller | undefined | Promise<PaymentsCaller | undefined>;
}

const callers = new WeakMap<object, PaymentsCaller>();

export function setCallerOf(request: object, caller: PaymentsCaller): void {
  callers.set(request, caller);
}

export function callerOf(request: object): PaymentsCaller | undefined {
  return callers.get(request);
}

export function mayActFor(caller: PaymentsCaller, companyId: unknown): boolean {
  return caller.companies === '*' || caller.companies.includes(companyId as string);
}
