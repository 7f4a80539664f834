import fc from 'fast-check';
import { TEST_DB } from '../support/test-database.js';
import { failOnViolations, PAYABLES, stepCommands } from './commands.js';
import { retireRun, settleAndCheck } from './settle.js';
import { World } from './world.js';

/**
 * Issue "Money safety", the model-based test: random sequences of creates and re-creates, GETs and
 * status calls on two service processes sharing one database, payments at Stripe (with or without
 * their webhook, delayed methods), duplicated and reordered webhook deliveries, Stripe faults,
 * SIGKILL-and-restart of an instance, reconciliation, and bursts of these at once. Stripe (the
 * emulator) is the model: after every step and every answer the invariants are checked against it,
 * and after a final reconciliation the database must agree with it row for row.
 *
 * MODEL_RUNS, MODEL_COMMANDS (most steps per run), MODEL_SEED, MODEL_PATH and MODEL_REPLAY_PATH
 * (replay a failure with what fast-check prints; timing decides too, so a replay may pass),
 * MODEL_SHRINK_MS (time spent shrinking a failure), MODEL_TRACE=1 (print every run).
 */
const RUNS = Number(process.env.MODEL_RUNS ?? 7);
const MAX_COMMANDS = Number(process.env.MODEL_COMMANDS ?? 22);
// Chosen here rather than by fast-check, so it is printed even if the run never ends.
const SEED = Number(process.env.MODEL_SEED ?? Date.now() ^ (Math.random() * 0x100000000));
const PATH = process.env.MODEL_PATH;
const REPLAY_PATH = process.env.MODEL_REPLAY_PATH;
const SHRINK_MS = Number(process.env.MODEL_SHRINK_MS ?? 120_000);
/** MODEL_TRACE=1 prints every run's trace, failing or not. */
const TRACE = process.env.MODEL_TRACE === '1';
/** A generous bound on one run (steps, crashes, the final reconciliation). */
const RUN_BUDGET_MS = 40_000;

describe(`checkout model: two instances, one database (${TEST_DB})`, () => {
  let world: World;
  beforeAll(async () => {
    world = await World.start();
  }, 90_000);
  afterAll(() => world?.close());

  it(
    'keeps one payable session per payable, hands out only that one, reads paid as paid, flags no single payment, and settles to agree with Stripe',
    async () => {
      console.log(
        `checkout model (${TEST_DB}): seed ${SEED}, ${RUNS} runs of up to ${MAX_COMMANDS} steps`,
      );
      const stats = { runs: 0, steps: 0, actions: 0, ms: 0 };
      let failedAt: number | undefined;
      const property = fc.asyncProperty(
        // Unbiased: every run draws its length uniformly up to MAX_COMMANDS (no short early runs).
        fc.noBias(
          fc.commands(stepCommands, {
            maxCommands: MAX_COMMANDS,
            size: 'max',
            replayPath: REPLAY_PATH,
          }),
        ),
        async (commands) => {
          // Shrinking runs real processes: once its budget is spent, candidates pass untried, so
          // fast-check reports the smallest failure found so far.
          if (failedAt !== undefined && Date.now() - failedAt > SHRINK_MS) return;
          const started = Date.now();
          const run = await world.beginRun(PAYABLES);
          try {
            await fc.asyncModelRun(() => ({ model: {}, real: world }), commands);
            await settleAndCheck(world);
            await failOnViolations(world, 'the final reconciliation');
          } catch (error) {
            failedAt ??= Date.now();
            throw error;
          } finally {
            await retireRun(world);
            if (TRACE) console.log(run.trace.join('\n'));
            if (failedAt === undefined) {
              stats.runs++;
              stats.steps += run.step;
              stats.actions += run.actions;
              stats.ms += Date.now() - started;
            }
          }
        },
      );
      await fc.assert(property, {
        numRuns: RUNS,
        seed: SEED,
        ...(PATH !== undefined && { path: PATH }),
      });
      console.log(
        `checkout model (${TEST_DB}): ${stats.runs} runs, ${stats.steps} steps (${stats.actions} actions, bursts unrolled), ${(stats.ms / 1000).toFixed(1)} s`,
      );
    },
    RUNS * RUN_BUDGET_MS + SHRINK_MS + 60_000,
  );
});
