import type { DataSource } from 'typeorm';
import {
  startStripeEmulator,
  type FaultSpec,
  type HeldRequest,
  type StripeEmulator,
} from '../../emulator/src/index.js';
import { freeLoopbackPort } from '../../app/src/free-port.js';
import { settledViolations, sessionsOfPayable } from '../support/invariants.js';
import { rogueCheckout } from '../support/rogue-session.js';
import {
  startReconcileProcess,
  startServiceProcess,
  type ServiceProcess,
} from '../support/service-process.js';
import { SALON, salonCheckout, WEBHOOK_SECRET } from '../support/test-app.js';
import {
  createTestDatabase,
  migratedDataSource,
  TEST_DB,
  type TestDatabase,
} from '../support/test-database.js';

const CREATE = '^/v1/checkout/sessions$';
const EXPIRE = '^/v1/checkout/sessions/[^/]+/expire$';
const RETRIEVE = '^/v1/checkout/sessions/cs_[^/]+$';
/** A process starting on a loaded 2-core machine can take a while to reach its Stripe call. */
const HOLD_WAIT_MS = 30_000;

type Release = 'release' | 'drop';

/**
 * Issue "Money safety", crash points: a real service process is killed with SIGKILL while the
 * emulator holds its Stripe request at a step (before Stripe acts on it, or after, with the answer
 * lost), started again on the same database and reconciled; then the invariants hold at Stripe and
 * in the database, and the GET shows Stripe's truth.
 */
describe(`crash at any step, restart, reconcile (${TEST_DB})`, () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let emulator: StripeEmulator;
  let port: number;
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await migratedDataSource(db.url);
    port = await freeLoopbackPort();
    emulator = await startStripeEmulator({
      port: 0,
      webhookSecret: WEBHOOK_SECRET,
      webhookUrl: `http://127.0.0.1:${port}/payment/stripe/v1/webhook`,
      faults: true,
    });
  }, 30_000);
  afterEach(() => emulator.clearFaults());
  afterAll(async () => {
    await service?.stop();
    await dataSource.destroy();
    await emulator.close();
    await db.drop();
  });

  const target = () => ({ dbUrl: db.url, stripeApiUrl: emulator.url });
  const running = async () => (service ??= await startServiceProcess({ ...target(), port }));
  const post = (path: string, body: unknown) =>
    fetch(`${service!.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'demo-api-key' },
      body: JSON.stringify(body),
    });
  const create = (body: Record<string, unknown>) => post('/payment/stripe/v1/checkout', body);
  const current = async (ref: string) => {
    const res = await fetch(
      `${(await running()).url}/payment/stripe/v1/checkout?CompanyId=${SALON}&InternalReferenceId=${ref}`,
      { headers: { 'x-api-key': 'demo-api-key' } },
    );
    return (await res.json()) as {
      SessionId: string | null;
      Status: string | null;
      Url: string | null;
    };
  };

  /** Runs `action` until the emulator holds its Stripe request, kills the service, settles the hold. */
  async function crashWhile(
    fault: Omit<FaultSpec, 'kind'>,
    release: Release,
    action: () => Promise<unknown>,
  ): Promise<HeldRequest> {
    await running();
    emulator.injectFault({ ...fault, kind: 'hold' });
    const inFlight = action().catch(() => undefined);
    const held = await emulator.waitForHeld(HOLD_WAIT_MS);
    await service!.crash();
    service = undefined;
    held[release]();
    await inFlight;
    emulator.clearFaults();
    return held;
  }

  /** Restart, reconcile until the payable is settled (the dead holder's lease ends by itself). */
  async function restartAndSettle(ref: string): Promise<void> {
    await running();
    const deadline = Date.now() + 20_000;
    let violations: string[] = [];
    for (;;) {
      const report = await startReconcileProcess(target()).report;
      violations = await settledViolations(dataSource, emulator, SALON, ref);
      if (report.busy === 0 && report.failed === 0 && violations.length === 0) break;
      if (Date.now() > deadline) throw new Error(`not settled: ${violations.join('; ')}`);
    }
    expect(violations).toEqual([]);
    await expectGetShowsStripe(ref);
  }

  async function expectGetShowsStripe(ref: string): Promise<void> {
    const sessions = sessionsOfPayable(emulator, ref);
    const open = sessions.find((s) => s.status === 'open');
    const paid = sessions.find((s) => s.status === 'complete' && s.payment_status === 'paid');
    const answer = await current(ref);
    if (paid) expect(answer).toMatchObject({ SessionId: paid.id, Status: 'complete', Url: null });
    else if (open)
      expect(answer).toMatchObject({ SessionId: open.id, Status: 'open', Url: expect.any(String) });
    else expect(answer.Url ?? null).toBeNull();
  }

  async function openCheckout(): Promise<{
    body: Record<string, unknown>;
    ref: string;
    sessionId: string;
  }> {
    await running();
    const body = salonCheckout();
    const res = await create(body);
    expect(res.status).toBe(200);
    const { SessionId } = (await res.json()) as { SessionId: string };
    return { body, ref: body.InternalReferenceId as string, sessionId: SessionId };
  }

  describe.each<Release>(['release', 'drop'])('the held request is then %sd', (release) => {
    it('a new payable: killed while Stripe creates its session', async () => {
      const body = salonCheckout();
      await crashWhile({ method: 'POST', path: CREATE }, release, () => create(body));
      await restartAndSettle(body.InternalReferenceId as string);
    }, 60_000);

    it('a re-create: killed while Stripe expires the earlier session', async () => {
      const { body, ref } = await openCheckout();
      await crashWhile({ method: 'POST', path: EXPIRE }, release, () => create(body));
      await restartAndSettle(ref);
    }, 60_000);

    it('a re-create: killed while Stripe creates the new session', async () => {
      const { body, ref } = await openCheckout();
      await crashWhile({ method: 'POST', path: CREATE }, release, () => create(body));
      await restartAndSettle(ref);
    }, 60_000);

    it('the webhook: killed while it reads the paid session back from Stripe', async () => {
      const { ref, sessionId } = await openCheckout();
      await crashWhile({ method: 'GET', path: RETRIEVE }, release, () => emulator.pay(sessionId));
      await restartAndSettle(ref);
    }, 60_000);
  });

  it.each<[string, Omit<FaultSpec, 'kind'>]>([
    [
      'Stripe creates the new session (answer lost)',
      { method: 'POST', path: CREATE, stage: 'after' },
    ],
    [
      'Stripe expires the earlier session (answer lost)',
      { method: 'POST', path: EXPIRE, stage: 'after' },
    ],
  ])(
    'a re-create killed after %s',
    async (_name, fault) => {
      const { body, ref } = await openCheckout();
      await crashWhile(fault, 'release', () => create(body));
      await restartAndSettle(ref);
    },
    60_000,
  );

  it('an invalidation killed while it replays the create an earlier crash left behind', async () => {
    const { body, ref } = await openCheckout();
    await crashWhile({ method: 'POST', path: CREATE, stage: 'after' }, 'release', () =>
      create(body),
    );
    // The next create finds the crashed one `creating` and replays its create to end its session.
    await running();
    await crashWhile({ method: 'POST', path: CREATE, stage: 'after' }, 'release', () =>
      create(body),
    );
    await restartAndSettle(ref);
  }, 60_000);

  it('a paid payable: killed while the webhook expires the other open session', async () => {
    const { ref, sessionId } = await openCheckout();
    await rogueCheckout({ dataSource, emulator }, ref, 'open');
    await crashWhile({ method: 'POST', path: EXPIRE }, 'drop', () => emulator.pay(sessionId));
    await restartAndSettle(ref);
  }, 60_000);

  it.each<[string, Omit<FaultSpec, 'kind'>, 'open' | 'creating']>([
    ['replays a lost create', { method: 'POST', path: CREATE, stage: 'after' }, 'creating'],
    ['expires an extra open session', { method: 'POST', path: EXPIRE }, 'open'],
  ])(
    'reconciliation killed while it %s, then run again',
    async (_name, fault, rogueState) => {
      const { ref } = await openCheckout();
      await rogueCheckout({ dataSource, emulator }, ref, rogueState);
      emulator.injectFault({ ...fault, kind: 'hold' });
      const run = startReconcileProcess(target());
      const held = await emulator.waitForHeld(10_000);
      await run.crash();
      held.release();
      await run.report.catch(() => undefined);
      emulator.clearFaults();
      await restartAndSettle(ref);
    },
    60_000,
  );
});
