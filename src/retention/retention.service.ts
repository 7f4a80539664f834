import { Inject, Injectable, Logger } from '@nestjs/common';
import { JobLeases, type HeldJobLease } from '../database/job-lease.js';
import { PaymentsDb } from '../database/payments-db.js';
import { PAYMENTS_OPTIONS } from '../payments.module-definition.js';
import type { PaymentsModuleOptions } from '../payments.options.js';
import { deleteBatchSql, pruneSteps, selectBatchSql, type PruneStep } from './prune-steps.js';
import { retentionCutoff, retentionSettings, type RetentionSettings } from './retention-options.js';

export interface RetentionReport {
  /** False when another instance held the job's lease: it runs the pass instead. */
  ran: boolean;
  /** Batches that deleted rows. */
  batches: number;
  /** Rows deleted, by step. */
  pruned: Record<string, number>;
}

export const RETENTION_JOB = 'retention';
/** Renewed with every batch: a crashed holder holds the job up this long at most. */
const LEASE_MS = 60_000;

/**
 * Deletes what is only kept for a while (processed Stripe events, outbox events fanned out) once
 * older than the retention age: batch after batch, each its own short transaction under the
 * job's lease, so one instance prunes at a time and no lock is held long.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger('Retention');
  readonly settings: RetentionSettings;
  private readonly steps: PruneStep[];
  private stopping = false;

  constructor(
    @Inject(PAYMENTS_OPTIONS) options: PaymentsModuleOptions,
    private readonly db: PaymentsDb,
    private readonly leases: JobLeases,
  ) {
    this.settings = retentionSettings(options.retention);
    this.steps = pruneSteps(db);
  }

  /** One pass: every step until it has nothing older than the retention age left. */
  async prune(now = new Date()): Promise<RetentionReport> {
    const report: RetentionReport = { ran: false, batches: 0, pruned: {} };
    const lease = await this.leases.tryAcquire(RETENTION_JOB, LEASE_MS);
    if (!lease) return report;
    report.ran = true;
    try {
      const cutoff = retentionCutoff(now, this.settings.retentionDays);
      for (const step of this.steps) {
        report.pruned[step.name] = 0;
        for (;;) {
          const deleted = await this.pruneBatch(lease, step, cutoff);
          if (deleted === undefined || this.stopping) return report;
          if (deleted > 0) report.batches++;
          report.pruned[step.name] += deleted;
          if (deleted < this.settings.batchSize) break;
        }
      }
      return report;
    } finally {
      await this.leases.release(lease).catch(() => undefined);
    }
  }

  /** A pass in progress ends after its current batch. */
  stop(): void {
    this.stopping = true;
  }

  /** Rows deleted; undefined when the lease was lost (another instance carries on). */
  private async pruneBatch(
    lease: HeldJobLease,
    step: PruneStep,
    cutoff: Date,
  ): Promise<number | undefined> {
    const outcome = await this.leases.fenced(lease, async (manager) => {
      const { rows } = await this.db.sql<{ prune_key: unknown }>(
        manager,
        selectBatchSql(step, this.settings.batchSize),
        [cutoff],
      );
      if (rows.length === 0) return 0;
      const keys = rows.map((row) => row.prune_key);
      const { affected } = await this.db.sql(manager, deleteBatchSql(step, keys.length), keys);
      return affected;
    });
    if (!outcome.held) this.logger.warn('Retention lease lost to another instance; stopping');
    return outcome.held ? outcome.result : undefined;
  }
}
