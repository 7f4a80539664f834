import { setTimeout as sleep } from 'node:timers/promises';
import { settledViolations } from '../support/invariants.js';
import { SALON } from '../support/test-app.js';
import { call, errorCode } from './http-call.js';
import { INSTANCES, type World } from './world.js';

/** Reconcile runs in a row that change nothing before we call the payables stuck. */
const STUCK_PASSES = 2;
const SETTLE_DEADLINE_MS = 45_000;

/**
 * After the last step: reconcile (again while a dead holder's lease runs out) until every payable
 * is settled — database and Stripe agree row for row — then both instances' GETs show Stripe.
 */
export async function settleAndCheck(world: World): Promise<void> {
  const { run } = world;
  world.disarmFaults();
  await deliveriesDone(world);
  const deadline = Date.now() + SETTLE_DEADLINE_MS;
  for (let stuck = 0; ;) {
    let report;
    try {
      report = await world.reconcile();
    } catch (error) {
      run.violation(`final reconcile: ${String(error).slice(0, 500)}`);
      return;
    }
    const violations = (
      await Promise.all(
        run.refs.map((ref) => settledViolations(world.dataSource, world.emulator, SALON, ref)),
      )
    ).flat();
    run.note(`final reconcile → ${JSON.stringify(report)}, ${violations.length} violation(s)`);
    if (report.busy === 0 && report.failed === 0 && violations.length === 0) break;
    if (report.busy === 0 && report.failed === 0) stuck++;
    if (stuck >= STUCK_PASSES || Date.now() > deadline) {
      for (const violation of violations) run.violation(`after reconciliation: ${violation}`);
      if (report.busy + report.failed > 0) {
        run.violation(`reconciliation still reports ${JSON.stringify(report)}`);
      }
      return;
    }
  }
  for (const ref of run.refs) for (const on of INSTANCES) await getShowsStripe(world, on, ref);
}

async function getShowsStripe(world: World, on: (typeof INSTANCES)[number], ref: string) {
  const query = new URLSearchParams({ CompanyId: SALON, InternalReferenceId: ref });
  const stripe = world.stripeOf(ref);
  const reply = await call({
    port: world.instances[on].port,
    method: 'GET',
    path: `/payment/stripe/v1/checkout?${query}`,
    onArrival: () => undefined,
  });
  const what = `settled get(${on}, ${ref})`;
  if (reply.kind !== 'answer') return world.run.violation(`${what}: no answer (${reply.error})`);
  const { SessionId, Status, Url, ClientSecret } = reply.body;
  const secret = Url ?? ClientSecret ?? null;
  const answered = `${reply.status} ${errorCode(reply.body) ?? ''} ${String(SessionId)} ${String(Status)}${secret ? ' +url' : ''}`;
  if (reply.status === 404 && !world.run.wasHandedOut(ref) && stripe.open.length === 0) return;
  let expected: string | undefined;
  if (reply.status !== 200) expected = '200';
  else if (stripe.paid.length > 0) {
    if (Status !== 'complete' || !stripe.paid.includes(String(SessionId)) || secret) {
      expected = `complete ${stripe.paid.join('|')}`;
    }
  } else if (stripe.open.length > 0) {
    if (Status !== 'open' || SessionId !== stripe.open[0] || !secret) {
      expected = `open ${stripe.open[0]} with its URL`;
    }
  } else if (secret) expected = 'no URL: nothing is open at Stripe';
  if (expected) world.run.violation(`${what} answered ${answered}; expected ${expected}`);
}

/** Stripe's own retries of webhooks the run triggered are over (delivered, or given up). */
async function deliveriesDone(world: World): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (world.emulator.events.some((e) => e.delivery === 'pending') && Date.now() < deadline) {
    await sleep(50);
  }
}

/**
 * Leaves nothing of the run payable, so later runs' reconciliations stay small: what is still open
 * is expired at Stripe, a pending delayed payment fails; reconciliation brings the rows along.
 */
export async function retireRun(world: World): Promise<void> {
  for (const session of world.emulator.sessions()) {
    if (!world.run.refs.includes(session.client_reference_id ?? '')) continue;
    if (session.status === 'open') await world.emulator.expire(session.id, { sendWebhook: false });
    if (session.status === 'complete' && session.payment_status === 'unpaid') {
      await world.emulator
        .settleAsyncPayment(session.id, 'failed', { sendWebhook: false })
        .catch(() => undefined);
    }
  }
}
