import { salonCheckout, SALON } from '../support/test-app.js';
import { errorCode, call, type Reply } from './http-call.js';
import { judgeHandedOut, judgeReply, judgeStripeAt, type Expectation } from './judge.js';
import type { InstanceName, StripeView, World } from './world.js';

export type UiMode = 'hosted' | 'embedded';
export type FaultKind = '500' | '429' | 'delay';
export type FaultTarget = 'create' | 'expire' | 'retrieve' | 'any';

/** One thing that happens to the system; a burst runs several at once. */
export type Step =
  | { kind: 'create'; on: InstanceName; ref: number; ui: UiMode }
  | { kind: 'get'; on: InstanceName; ref: number }
  | { kind: 'status'; on: InstanceName; pick: number }
  | { kind: 'pay'; pick: number; webhook: boolean; delayed: boolean }
  | { kind: 'settle'; pick: number; outcome: 'succeeded' | 'failed'; webhook: boolean }
  | { kind: 'expire'; pick: number; webhook: boolean }
  | { kind: 'resend'; pick: number }
  | { kind: 'fault'; fault: FaultKind; target: FaultTarget; times: number; ms: number }
  | { kind: 'crash'; on: InstanceName }
  | { kind: 'reconcile' }
  | { kind: 'burst'; steps: Step[] };

const FAULT_PATHS: Record<FaultTarget, { method?: string; path?: string }> = {
  create: { method: 'POST', path: '^/v1/checkout/sessions$' },
  expire: { method: 'POST', path: '^/v1/checkout/sessions/[^/]+/expire$' },
  retrieve: { method: 'GET', path: '^/v1/checkout/sessions/cs_[^/]+$' },
  any: {},
};

export function describeStep(step: Step): string {
  switch (step.kind) {
    case 'create':
      return `create(${step.on}, ref${step.ref}, ${step.ui})`;
    case 'get':
      return `get(${step.on}, ref${step.ref})`;
    case 'status':
      return `status(${step.on}, handed-out #${step.pick})`;
    case 'pay':
      return `pay(open handed-out #${step.pick}${step.webhook ? '' : ', no webhook'}${step.delayed ? ', delayed method' : ''})`;
    case 'settle':
      return `settleDelayed(#${step.pick}, ${step.outcome}${step.webhook ? '' : ', no webhook'})`;
    case 'expire':
      return `stripeExpires(open #${step.pick}${step.webhook ? '' : ', no webhook'})`;
    case 'resend':
      return `resendEvent(#${step.pick})`;
    case 'fault':
      return `fault(${step.fault}${step.fault === 'delay' ? ` ${step.ms}ms` : ''} x${step.times} on ${step.target})`;
    case 'crash':
      return `crashAndRestart(${step.on})`;
    case 'reconcile':
      return 'reconcile';
    case 'burst':
      return `burst[${step.steps.map(describeStep).join(' | ')}]`;
  }
}

/** Runs a step; what it saw goes to the run's trace, what broke to its violations. */
export async function perform(world: World, step: Step): Promise<void> {
  if (step.kind !== 'burst') world.run.actions++;
  switch (step.kind) {
    case 'create':
      return create(world, step.on, payable(world, step.ref), step.ui);
    case 'get':
      return current(world, step.on, payable(world, step.ref));
    case 'status':
      return status(world, step.on, step.pick);
    case 'pay':
      return pay(world, step);
    case 'settle':
      return settleDelayed(world, step);
    case 'expire':
      return stripeExpires(world, step);
    case 'resend':
      return resend(world, step.pick);
    case 'fault':
      world.injectFault({
        kind: step.fault,
        times: step.times,
        ...FAULT_PATHS[step.target],
        ...(step.fault === 'delay' && { ms: step.ms }),
      });
      world.run.note(`  ${describeStep(step)}: armed`);
      return;
    case 'crash':
      await world.crashAndRestart(step.on);
      world.run.note(`  ${describeStep(step)}: back up`);
      return;
    case 'reconcile':
      return reconcile(world);
    case 'burst':
      await Promise.all(step.steps.map((inner) => perform(world, inner)));
      return;
  }
}

const payable = (world: World, index: number) => world.run.refs[index];
const short = (id: unknown) => (typeof id === 'string' ? `…${id.slice(-6)}` : String(id));

interface RequestOptions {
  operation: Expectation['operation'];
  on: InstanceName;
  /** The payable the request is about: its sessions at Stripe are what the answer is judged by. */
  ref: string;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  mayBeNotFound?: boolean;
  /** Anything else to look at the moment the answer arrives. */
  atArrival?: () => void;
}

/** Calls an instance, then judges the answer's HTTP status and Stripe's state when it arrived. */
async function request(world: World, options: RequestOptions): Promise<Reply<StripeView>> {
  const { operation, on, ref, method, path, body, mayBeNotFound } = options;
  const instance = world.instances[on];
  const started = {
    startedAt: Date.now(),
    epoch: instance.epoch,
    wasUp: instance.process !== undefined,
  };
  const reply = await call({
    port: instance.port,
    method,
    path,
    body,
    onArrival: () => {
      options.atArrival?.();
      return world.stripeOf(ref);
    },
  });
  judgeReply(world, { operation, on, mayBeNotFound, ...started }, reply);
  if (reply.kind === 'answer') judgeStripeAt(world, `${operation} on ${on}`, ref, reply.seen);
  return reply;
}

function replyLine(reply: Reply<StripeView>): string {
  if (reply.kind === 'no-answer') return `no answer (${reply.error})`;
  const code = errorCode(reply.body);
  if (code) return `${reply.status} ${code}`;
  const { SessionId, Status, Url, ClientSecret } = reply.body;
  const secret = Url ? ' +url' : ClientSecret ? ' +secret' : '';
  return `${reply.status} ${short(SessionId)} ${String(Status)}${secret}`;
}

async function create(world: World, on: InstanceName, reference: string, ui: UiMode) {
  const before = world.stripeOf(reference);
  const body = salonCheckout({ InternalReferenceId: reference, UiMode: ui });
  const reply = await request(world, {
    operation: 'create',
    on,
    ref: reference,
    method: 'POST',
    path: '/payment/stripe/v1/checkout',
    body,
  });
  world.run.note(`  create(${on}, ${reference}, ${ui}) → ${replyLine(reply)}`);
  if (reply.kind !== 'answer') return;
  const what = `create(${on}, ${reference})`;
  if (reply.status === 200) {
    const sessionId = String(reply.body.SessionId);
    if (before.paid.length > 0) {
      world.run.violation(
        `${what} answered a new session ${sessionId} although ${before.paid.join(', ')} was paid before it started`,
      );
    }
    if (!reply.body.Url && !reply.body.ClientSecret) {
      world.run.violation(`${what} answered 200 without a URL or client secret`);
    }
    judgeHandedOut(world, what, reference, sessionId, reply.seen);
    return;
  }
  const code = errorCode(reply.body);
  if (code === 'AlreadyPaid' && reply.seen.paid.length === 0) {
    world.run.violation(`${what} answered AlreadyPaid, but no session is paid at Stripe`);
  }
  if (code === 'PaymentPending' && reply.seen.complete.length === 0) {
    world.run.violation(`${what} answered PaymentPending, but no session is complete at Stripe`);
  }
}

async function current(world: World, on: InstanceName, reference: string) {
  const before = world.stripeOf(reference);
  const query = new URLSearchParams({ CompanyId: SALON, InternalReferenceId: reference });
  const reply = await request(world, {
    operation: 'get',
    on,
    ref: reference,
    method: 'GET',
    path: `/payment/stripe/v1/checkout?${query}`,
    // A session handed out is linked to its row: from then on the GET finds it.
    mayBeNotFound: !world.run.wasHandedOut(reference),
  });
  world.run.note(`  get(${on}, ${reference}) → ${replyLine(reply)}`);
  if (reply.kind !== 'answer' || reply.status !== 200) return;
  const what = `get(${on}, ${reference})`;
  const { SessionId, Status, Url, ClientSecret } = reply.body;
  if (
    before.paid.length > 0 &&
    (Status !== 'complete' || !reply.seen.paid.includes(String(SessionId)))
  ) {
    world.run.violation(
      `${what}: paid by ${before.paid.join(', ')} before the GET, yet it answered ${String(SessionId)} ${String(Status)}`,
    );
  }
  if (Url || ClientSecret) judgeHandedOut(world, what, reference, String(SessionId), reply.seen);
}

async function status(world: World, on: InstanceName, pick: number) {
  const handedOut = [...world.run.handedOut.keys()];
  if (handedOut.length === 0) return world.run.note(`  status(${on}): nothing handed out yet`);
  const sessionId = handedOut[pick % handedOut.length];
  const statusOf = () =>
    world.emulator.sessions().find((s) => s.id === sessionId)?.status ?? undefined;
  const before = statusOf();
  let atArrival: string | undefined;
  const reference = world.run.handedOut.get(sessionId) ?? '';
  const reply = await request(world, {
    operation: 'status',
    on,
    ref: reference,
    method: 'POST',
    path: '/payment/stripe/v1/checkout/status',
    body: { CompanyId: SALON, SessionId: sessionId },
    atArrival: () => (atArrival = statusOf()),
  });
  world.run.note(
    `  status(${on}, ${short(sessionId)}) → ${reply.kind === 'answer' ? `${reply.status} ${String(reply.body.Status ?? errorCode(reply.body))}` : replyLine(reply)}`,
  );
  if (reply.kind !== 'answer' || reply.status !== 200) return;
  const answered = reply.body.Status;
  if (answered !== before && answered !== atArrival) {
    world.run.violation(
      `status(${on}, ${sessionId}) answered ${String(answered)}; Stripe had ${before} before and ${atArrival} after`,
    );
  }
}

async function pay(world: World, step: Extract<Step, { kind: 'pay' }>) {
  const open = [...world.run.handedOut.keys()].filter(
    (id) => world.emulator.sessions().find((s) => s.id === id)?.status === 'open',
  );
  if (open.length === 0)
    return world.run.note(`  ${describeStep(step)}: no handed-out session is open`);
  const sessionId = open[step.pick % open.length];
  await world.emulator.pay(sessionId, { sendWebhook: step.webhook, async: step.delayed });
  world.run.note(
    `  ${describeStep(step)}: paid ${short(sessionId)} of ${world.run.handedOut.get(sessionId)}`,
  );
}

async function settleDelayed(world: World, step: Extract<Step, { kind: 'settle' }>) {
  const pending = world.emulator
    .sessions()
    .filter(
      (s) =>
        world.run.refs.includes(s.client_reference_id ?? '') &&
        s.status === 'complete' &&
        s.payment_status === 'unpaid',
    )
    .map((s) => s.id);
  const sessionId = pending[step.pick % Math.max(1, pending.length)];
  if (!sessionId) return world.run.note(`  ${describeStep(step)}: no delayed payment`);
  try {
    await world.emulator.settleAsyncPayment(sessionId, step.outcome, { sendWebhook: step.webhook });
    world.run.note(`  ${describeStep(step)}: ${short(sessionId)} ${step.outcome}`);
  } catch {
    // Settled before (a failed delayed payment stays complete and unpaid).
    world.run.note(`  ${describeStep(step)}: ${short(sessionId)} was settled already`);
  }
}

/** The session's own end at Stripe (its expires_at, or the customer gave up). */
async function stripeExpires(world: World, step: Extract<Step, { kind: 'expire' }>) {
  const open = world.emulator
    .sessions()
    .filter((s) => world.run.refs.includes(s.client_reference_id ?? '') && s.status === 'open')
    .map((s) => s.id);
  if (open.length === 0) return world.run.note(`  ${describeStep(step)}: nothing open`);
  const sessionId = open[step.pick % open.length];
  await world.emulator.expire(sessionId, { sendWebhook: step.webhook });
  world.run.note(`  ${describeStep(step)}: expired ${short(sessionId)}`);
}

async function resend(world: World, pick: number) {
  const events = world.emulator.events.filter((e) =>
    world.run.refs.includes(e.event.data.object.client_reference_id ?? ''),
  );
  if (events.length === 0) return world.run.note(`  resendEvent(#${pick}): no event yet`);
  const event = events[pick % events.length];
  const instance = world.instances.A;
  const started = { startedAt: Date.now(), epoch: instance.epoch, wasUp: !!instance.process };
  let reply: Reply<undefined>;
  try {
    const status = await world.emulator.resendEvent(event.id);
    reply = { kind: 'answer', status, body: {}, retryAfter: null, seen: undefined };
  } catch (error) {
    reply = { kind: 'no-answer', error: String(error) };
  }
  world.run.note(
    `  resendEvent(${event.type.replace('checkout.session.', '')} of ${short(event.event.data.object.id)}) → ${reply.kind === 'answer' ? reply.status : reply.error}`,
  );
  judgeReply(world, { operation: 'webhook', on: 'A', ...started }, reply);
}

async function reconcile(world: World) {
  const startedAt = Date.now();
  try {
    const report = await world.reconcile();
    world.run.note(`  reconcile → ${JSON.stringify(report)}`);
    if (report.failed > 0 && !world.run.faultsDuring(startedAt, Date.now())) {
      world.run.violation(`reconcile failed on ${report.failed} payable(s) with no Stripe fault`);
    }
  } catch (error) {
    world.run.violation(`reconcile: ${String(error).slice(0, 500)}`);
  }
}
