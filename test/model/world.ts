import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { freeLoopbackPort } from '../../app/src/free-port.js';
import { startStripeEmulator, type StripeEmulator } from '../../emulator/src/index.js';
import { Checkout, Payable } from '../../src/index.js';
import { sessionsOfPayable } from '../support/invariants.js';
import {
  startReconcileProcess,
  startServiceProcess,
  type ReconcileReport,
  type ServiceProcess,
} from '../support/service-process.js';
import { SALON, WEBHOOK_SECRET } from '../support/test-app.js';
import {
  createTestDatabase,
  migratedDataSource,
  type TestDatabase,
} from '../support/test-database.js';

export type InstanceName = 'A' | 'B';
export const INSTANCES: InstanceName[] = ['A', 'B'];

/** One service process, restarted on the same port after a crash (A receives the webhooks). */
export interface Instance {
  name: InstanceName;
  port: number;
  process: ServiceProcess | undefined;
  /** Bumped by every crash: a request that saw another epoch end may have lost its answer. */
  epoch: number;
  /** Output of the processes killed during this run, for a failure's message. */
  pastOutput: string;
  /** Where the running process's output of this run begins. */
  outputMark: number;
}

/** A payable's sessions as Stripe has them right now. */
export interface StripeView {
  all: string[];
  open: string[];
  paid: string[];
  /** complete, paid or not (a delayed payment still pending, or failed) */
  complete: string[];
}

/** Stripe faults are armed from `from` to `to`; a delay's effects last `slackMs` longer. */
interface FaultWindow {
  from: number;
  to: number | undefined;
  slackMs: number;
}

/** What one run (one command sequence) knows and has seen. */
export class Run {
  readonly refs: string[];
  /** Sessions whose URL or client secret some answer handed out, in order: id → payable. */
  readonly handedOut = new Map<string, string>();
  readonly trace: string[] = [];
  readonly violations: string[] = [];
  readonly faults: FaultWindow[] = [];
  step = 0;
  /** Steps and the steps inside bursts. */
  actions = 0;

  constructor(refCount: number) {
    const tag = randomBytes(3).toString('hex');
    this.refs = Array.from({ length: refCount }, (_, i) => `model-${tag}-${i}`);
  }

  handOut(sessionId: string, ref: string): void {
    this.handedOut.set(sessionId, ref);
  }

  wasHandedOut(ref: string): boolean {
    return [...this.handedOut.values()].includes(ref);
  }

  note(line: string): void {
    this.trace.push(line);
  }

  violation(line: string): void {
    this.violations.push(line);
  }

  /** A 503 is expected from a request that overlapped armed Stripe faults or their effects. */
  faultsDuring(startedAt: number, endedAt: number): boolean {
    return this.faults.some(
      (w) => w.from <= endedAt && (w.to === undefined || startedAt <= w.to + w.slackMs),
    );
  }
}

/**
 * The system under test: two service processes on one database, one in-process Stripe emulator
 * whose webhooks go to instance A's (fixed) port. Reused across runs; each run has fresh payables.
 */
export class World {
  run = new Run(0);
  private readonly started: ServiceProcess[] = [];
  private readonly lifecycle: Record<InstanceName, Promise<void>> = {
    A: Promise.resolve(),
    B: Promise.resolve(),
  };

  private constructor(
    readonly db: TestDatabase,
    readonly dataSource: DataSource,
    readonly emulator: StripeEmulator,
    readonly instances: Record<InstanceName, Instance>,
  ) {}

  static async start(): Promise<World> {
    const db = await createTestDatabase();
    // Migrated here, once: two processes migrating one empty database at once would race.
    const dataSource = await migratedDataSource(db.url);
    const [portA, portB] = [await freeLoopbackPort(), await freeLoopbackPort()];
    const emulator = await startStripeEmulator({
      port: 0,
      webhookSecret: WEBHOOK_SECRET,
      webhookUrl: `http://127.0.0.1:${portA}/payment/stripe/v1/webhook`,
      faults: true,
    });
    const instance = (name: InstanceName, port: number): Instance => ({
      name,
      port,
      process: undefined,
      epoch: 0,
      pastOutput: '',
      outputMark: 0,
    });
    const world = new World(db, dataSource, emulator, {
      A: instance('A', portA),
      B: instance('B', portB),
    });
    // One after the other: the first seeds the demo data.
    for (const name of INSTANCES) await world.ensureUp(name);
    return world;
  }

  async close(): Promise<void> {
    // Every process ever started: a leftover would keep Jest from exiting.
    for (const started of this.started) await started.stop();
    await this.dataSource.destroy();
    await this.emulator.close();
    await this.db.drop();
  }

  /** A fresh run: new payables, no faults, both instances up. */
  async beginRun(refCount: number): Promise<Run> {
    this.emulator.clearFaults();
    for (const name of INSTANCES) {
      const instance = this.instances[name];
      await this.ensureUp(name);
      instance.pastOutput = '';
      instance.outputMark = instance.process?.output().length ?? 0;
    }
    this.run = new Run(refCount);
    return this.run;
  }

  target() {
    return { dbUrl: this.db.url, stripeApiUrl: this.emulator.url };
  }

  ensureUp(name: InstanceName): Promise<void> {
    return this.serially(name, () => this.startIfDown(name));
  }

  /** SIGKILL, then the same port again on the same database. */
  crashAndRestart(name: InstanceName): Promise<void> {
    return this.serially(name, async () => {
      const instance = this.instances[name];
      const killed = instance.process;
      instance.process = undefined;
      instance.epoch++;
      if (killed) {
        await killed.crash();
        instance.pastOutput += killed.output().slice(instance.outputMark);
        instance.outputMark = 0;
      }
      await this.startIfDown(name);
    });
  }

  private async startIfDown(name: InstanceName): Promise<void> {
    const instance = this.instances[name];
    if (instance.process) return;
    const started = await startServiceProcess({ ...this.target(), port: instance.port });
    this.started.push(started);
    instance.process = started;
  }

  /**
   * One start or crash of an instance at a time (a burst may crash it twice): a second process
   * on the port would fail to listen while the first answered its health check.
   */
  private serially(name: InstanceName, work: () => Promise<void>): Promise<void> {
    const next = this.lifecycle[name].then(work);
    this.lifecycle[name] = next.catch(() => undefined);
    return next;
  }

  reconcile(): Promise<ReconcileReport> {
    return startReconcileProcess(this.target()).report;
  }

  stripeOf(ref: string): StripeView {
    const sessions = sessionsOfPayable(this.emulator, ref);
    const ids = (keep: (s: (typeof sessions)[number]) => boolean) =>
      sessions.filter(keep).map((s) => s.id);
    return {
      all: ids(() => true),
      open: ids((s) => s.status === 'open'),
      paid: ids(
        (s) =>
          s.status === 'complete' &&
          (s.payment_status === 'paid' || s.payment_status === 'no_payment_required'),
      ),
      complete: ids((s) => s.status === 'complete'),
    };
  }

  /** Arms a Stripe fault until the end of the next step. */
  injectFault(fault: Parameters<StripeEmulator['injectFault']>[0]): void {
    this.emulator.injectFault(fault);
    // A delayed request still runs at Stripe after the service gave up on it (1 s timeout).
    this.run.faults.push({ from: Date.now(), to: undefined, slackMs: (fault.ms ?? 0) + 2000 });
  }

  /** Faults live for the step that arms them and the next one. */
  disarmFaults(): void {
    this.emulator.clearFaults();
    const now = Date.now();
    for (const window of this.run.faults) window.to ??= now;
  }

  /** Every checkout row of the run's payables beside Stripe's sessions, for a failure's message. */
  async describePayables(): Promise<string[]> {
    const lines: string[] = [];
    for (const ref of this.run.refs) {
      const payable = await this.dataSource
        .getRepository(Payable)
        .findOneBy({ companyId: SALON, internalReferenceId: ref });
      const rows = payable
        ? await this.dataSource
            .getRepository(Checkout)
            .find({ where: { payableId: payable.id }, order: { createdAt: 'ASC', id: 'ASC' } })
        : [];
      const sessions = sessionsOfPayable(this.emulator, ref);
      if (!payable && sessions.length === 0) continue;
      lines.push(`  ${ref}: paid by ${payable?.paidCheckoutId ?? 'nobody'}`);
      for (const row of rows) {
        lines.push(
          `    row ${row.id} created ${row.createdAt.toISOString()} ${row.state}/${row.paymentStatus} session ${row.stripeSessionId}${row.refundRequired ? ' REFUND' : ''}`,
        );
      }
      for (const s of sessions) {
        lines.push(`    Stripe ${s.id} ${s.status}/${s.payment_status} created ${s.created}`);
      }
    }
    return lines;
  }

  /** Warnings and errors the instances logged during the run, for a failure's message. */
  serviceLog(maxLines = 30): string {
    const lines = INSTANCES.flatMap((name) => {
      const instance = this.instances[name];
      const output =
        instance.pastOutput + (instance.process?.output().slice(instance.outputMark) ?? '');
      return output
        .split('\n')
        .filter((line) => /WARN|ERROR/.test(line))
        .map((line) => `${name}: ${line.trim()}`);
    });
    return lines.slice(-maxLines).join('\n');
  }
}
