import fc from 'fast-check';
import { audit } from './judge.js';
import { describeStep, perform, type Step } from './steps.js';
import type { World } from './world.js';

/** The test's model is Stripe itself (the emulator): commands keep no model state of their own. */
export type Model = object;

/** Payables per run: few, so steps collide on them. */
export const PAYABLES = 3;

const instance = fc.constantFrom('A' as const, 'B' as const);
const ref = fc.nat({ max: PAYABLES - 1 });
const pick = fc.nat({ max: 9 });

const create = fc.record({
  kind: fc.constant('create' as const),
  on: instance,
  ref,
  ui: fc.constantFrom('hosted' as const, 'hosted' as const, 'embedded' as const),
});
const get = fc.record({ kind: fc.constant('get' as const), on: instance, ref });
const status = fc.record({ kind: fc.constant('status' as const), on: instance, pick });
const pay = fc.record({
  kind: fc.constant('pay' as const),
  pick,
  webhook: fc.boolean(),
  delayed: fc.boolean().chain((maybe) => (maybe ? fc.boolean() : fc.constant(false))),
});
const settle = fc.record({
  kind: fc.constant('settle' as const),
  pick,
  outcome: fc.constantFrom('succeeded' as const, 'failed' as const),
  webhook: fc.boolean(),
});
const expire = fc.record({
  kind: fc.constant('expire' as const),
  pick,
  webhook: fc.boolean(),
});
const resend = fc.record({ kind: fc.constant('resend' as const), pick: fc.nat({ max: 40 }) });
const fault = fc.record({
  kind: fc.constant('fault' as const),
  fault: fc.constantFrom('500' as const, '429' as const, 'delay' as const),
  target: fc.constantFrom(
    'create' as const,
    'expire' as const,
    'retrieve' as const,
    'any' as const,
  ),
  times: fc.integer({ min: 1, max: 2 }),
  // Below the service's 1 s Stripe timeout (interleaving) and above it (an answer lost).
  ms: fc.constantFrom(300, 800, 1500),
});
const crash = fc.record({ kind: fc.constant('crash' as const), on: instance });
const reconcile = fc.constant({ kind: 'reconcile' as const });

/** What runs inside a burst: anything but another burst. */
const concurrentStep: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: create, weight: 5 },
  { arbitrary: get, weight: 4 },
  { arbitrary: status, weight: 1 },
  { arbitrary: pay, weight: 3 },
  { arbitrary: settle, weight: 1 },
  { arbitrary: expire, weight: 1 },
  { arbitrary: resend, weight: 2 },
  { arbitrary: fault, weight: 1 },
  { arbitrary: crash, weight: 1 },
  { arbitrary: reconcile, weight: 1 },
);
/** Mostly on one payable, so its requests really race (two creates: a double click). */
const burst = fc
  .tuple(fc.nat({ max: 2 }), fc.array(concurrentStep, { minLength: 2, maxLength: 5 }))
  .map(([spread, steps]) => ({
    kind: 'burst' as const,
    steps: spread === 0 ? steps : onePayable(steps),
  }));

/** The same create on both instances at once: a customer's double click behind a load balancer. */
const doubleClick = fc.record({ ref, ui: create.map((c) => c.ui) }).map(({ ref, ui }) => ({
  kind: 'burst' as const,
  steps: (['A', 'B'] as const).map((on) => ({ kind: 'create' as const, on, ref, ui })),
}));

function onePayable(steps: Step[]): Step[] {
  const focus = steps.find((s) => 'ref' in s);
  if (!focus || !('ref' in focus)) return steps;
  return steps.map((s) => ('ref' in s ? { ...s, ref: focus.ref } : s));
}

const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: create, weight: 6 },
  { arbitrary: get, weight: 4 },
  { arbitrary: status, weight: 2 },
  { arbitrary: pay, weight: 4 },
  { arbitrary: settle, weight: 1 },
  { arbitrary: expire, weight: 1 },
  { arbitrary: resend, weight: 3 },
  { arbitrary: fault, weight: 3 },
  { arbitrary: crash, weight: 1 },
  { arbitrary: reconcile, weight: 1 },
  { arbitrary: burst, weight: 5 },
  { arbitrary: doubleClick, weight: 2 },
);

/** A step of the sequence, checked as soon as it is over. */
class StepCommand implements fc.AsyncCommand<Model, World> {
  constructor(readonly step: Step) {}

  check(): boolean {
    return true;
  }

  async run(_model: Model, world: World): Promise<void> {
    const { run } = world;
    run.step++;
    run.note(`#${run.step} ${describeStep(this.step)}`);
    const faultsArmed = run.faults.some((window) => window.to === undefined);
    try {
      await perform(world, this.step);
    } catch (error) {
      run.violation(`the step itself failed: ${String(error).slice(0, 1000)}`);
    }
    await audit(world);
    if (faultsArmed) world.disarmFaults();
    await failOnViolations(world, `step #${run.step} ${describeStep(this.step)}`);
  }

  toString(): string {
    return describeStep(this.step);
  }
}

export const stepCommands = [step.map((s) => new StepCommand(s))];

/**
 * Throws what broke, with the run's trace, the payables' rows and Stripe's sessions, and the
 * instances' warnings, for fast-check to report.
 */
export async function failOnViolations(world: World, when: string): Promise<void> {
  const { run } = world;
  if (run.violations.length === 0) return;
  throw new Error(
    [
      `${run.violations.length} violation(s) after ${when}:`,
      ...run.violations.map((v) => `  - ${v}`),
      `payables: ${run.refs.join(', ')}`,
      'what happened:',
      ...run.trace.slice(-80).map((line) => `  ${line}`),
      'database and Stripe:',
      ...(await world.describePayables()),
      'service warnings:',
      world.serviceLog() || '  (none)',
    ].join('\n'),
  );
}
