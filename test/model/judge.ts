import { Checkout, Payable } from '../../src/index.js';
import { stripeViolations } from '../support/invariants.js';
import { errorCode, type Reply } from './http-call.js';
import type { InstanceName, StripeView, World } from './world.js';

export type Operation = 'create' | 'get' | 'status' | 'webhook';

/** What a request may answer, given how it started. */
export interface Expectation {
  operation: Operation;
  on: InstanceName;
  startedAt: number;
  epoch: number;
  wasUp: boolean;
  /** A GET of a payable none of whose sessions was handed out yet may find nothing. */
  mayBeNotFound?: boolean;
}

/** The 409s a create may answer; every other 4xx, and every 5xx but a 503 during faults, is a bug. */
const CREATE_CONFLICTS = new Set(['AlreadyPaid', 'CheckoutInProgress', 'PaymentPending']);

export function judgeReply(world: World, e: Expectation, reply: Reply<unknown>): void {
  const what = `${e.operation} on ${e.on}`;
  const instance = world.instances[e.on];
  if (reply.kind === 'no-answer') {
    const crashed = !e.wasUp || instance.epoch !== e.epoch || !instance.process;
    if (!crashed) {
      world.run.violation(
        `${what}: no answer (${reply.error}) from an instance that was up all along`,
      );
    }
    return;
  }
  const code = errorCode(reply.body);
  if (reply.status === 200) return;
  if (reply.status === 409 && e.operation === 'create' && CREATE_CONFLICTS.has(code ?? '')) return;
  if (reply.status === 404 && e.mayBeNotFound && code === 'CheckoutNotFound') return;
  if (reply.status === 503) {
    if (e.operation !== 'webhook' && !reply.retryAfter) {
      world.run.violation(`${what}: 503 ${code} without Retry-After`);
    } else if (!world.run.faultsDuring(e.startedAt, Date.now())) {
      world.run.violation(`${what}: 503 ${code} with no Stripe fault armed`);
    }
    return;
  }
  const message = (reply.body.ResponseStatus as { Message?: string } | undefined)?.Message;
  world.run.violation(`${what}: HTTP ${reply.status} ${code ?? ''} ${message ?? ''}`.trim());
}

/** Stripe's invariant, as seen when an answer arrived (a burst may break it between steps). */
export function judgeStripeAt(world: World, what: string, ref: string, seen: StripeView): void {
  if (seen.open.length > 1) {
    world.run.violation(
      `Stripe, when ${what} answered: ${ref} has open sessions ${seen.open.join(', ')}`,
    );
  }
  if (seen.open.length > 0 && seen.paid.length > 0) {
    world.run.violation(
      `Stripe, when ${what} answered: ${ref} is paid by ${seen.paid.join(', ')}, yet ${seen.open.join(', ')} is open`,
    );
  }
}

/**
 * A URL or client secret may be handed out only for a session of the payable that, when the
 * answer arrived, was not open beside another open session of the same payable.
 */
export function judgeHandedOut(
  world: World,
  what: string,
  ref: string,
  sessionId: string,
  seen: StripeView,
): void {
  if (!seen.all.includes(sessionId)) {
    world.run.violation(
      `${what} handed out ${sessionId}, which is not a session of ${ref} at Stripe`,
    );
  }
  const others = seen.open.filter((id) => id !== sessionId);
  if (seen.open.includes(sessionId) && others.length > 0) {
    world.run.violation(
      `${what} handed out ${sessionId} while ${others.join(', ')} of the same payable was open too`,
    );
  }
  world.run.handOut(sessionId, ref);
}

/**
 * After every step: at most one open session per payable at Stripe (none once paid), never two
 * payments, a refund flag only on a real second payment, no webhook answered with a bug.
 */
export async function audit(world: World): Promise<void> {
  const { run, emulator } = world;
  for (const ref of run.refs) {
    for (const violation of stripeViolations(emulator, ref)) run.violation(`Stripe: ${violation}`);
    const { paid } = world.stripeOf(ref);
    if (paid.length > 1) run.violation(`Stripe: ${ref} is paid twice (${paid.join(', ')})`);
  }
  for (const flagged of await flaggedCheckouts(world)) {
    const paid = world.stripeOf(flagged.ref).paid.length;
    if (paid < 2) {
      run.violation(
        `database: checkout ${flagged.id} (session ${flagged.session}) of ${flagged.ref} is flagged refund_required; Stripe has ${paid} payment(s)`,
      );
    }
  }
  for (const event of emulator.events) {
    if (!run.refs.includes(event.event.data.object.client_reference_id ?? '')) continue;
    if (event.lastStatus !== null && event.lastStatus !== 200 && event.lastStatus !== 503) {
      run.violation(
        `webhook: Stripe's delivery of ${event.type} ${event.id} got HTTP ${event.lastStatus}`,
      );
    }
  }
}

async function flaggedCheckouts(world: World) {
  return world.dataSource
    .getRepository(Checkout)
    .createQueryBuilder('c')
    .innerJoin(Payable, 'p', 'p.id = c.payable_id')
    .select(['c.id AS id', 'c.stripe_session_id AS session', 'p.internal_reference_id AS ref'])
    .where('p.internal_reference_id IN (:...refs)', { refs: world.run.refs })
    .andWhere('c.refund_required <> 0')
    .getRawMany<{ id: string; session: string | null; ref: string }>();
}
