import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { isUniqueViolation } from './unique-violation.js';
import { JobLease } from '../entities/index.js';
import { PaymentsDb } from './payments-db.js';

/** A background job's lease, held by one instance: its token, and how long each renewal lasts. */
export interface HeldJobLease {
  name: string;
  token: string;
  leaseMs: number;
}

/**
 * One instance at a time runs a background job (retention, say): the instance that takes the job's
 * row in `job_leases` holds it until it releases it or the lease runs out (by the database's
 * clock, so instances' clocks do not matter). Work that must only happen while the lease is held
 * goes through `fenced`, which renews the lease in the same transaction: a holder whose lease ran
 * out and was taken over changes nothing.
 */
@Injectable()
export class JobLeases {
  private readonly leases: string;

  constructor(private readonly db: PaymentsDb) {
    this.leases = db.table(JobLease);
  }

  /** The job's lease if no other instance holds it now; undefined otherwise. */
  async tryAcquire(name: string, leaseMs: number): Promise<HeldJobLease | undefined> {
    const lease = { name, token: randomUUID(), leaseMs };
    if (await this.takeOver(lease)) return lease;
    try {
      // The job's first run ever: its row does not exist yet. Two instances racing here meet on
      // the primary key, and one of them gets it.
      await this.db.run((m) =>
        this.db.sql(
          m,
          `INSERT INTO ${this.leases} (name, holder, leased_until) VALUES (?, ?, ${this.db.nowPlus(leaseMs)})`,
          [name, lease.token],
        ),
      );
      return lease;
    } catch (error) {
      if (isUniqueViolation(error)) return (await this.takeOver(lease)) ? lease : undefined;
      throw error;
    }
  }

  /** A transaction that commits only while the lease is held, renewing it; false when it was lost. */
  async fenced<T>(
    lease: HeldJobLease,
    work: (manager: EntityManager) => Promise<T>,
  ): Promise<{ held: true; result: T } | { held: false }> {
    return this.db.transaction(async (manager) => {
      const { affected } = await this.db.sql(
        manager,
        `UPDATE ${this.leases} SET leased_until = ${this.db.nowPlus(lease.leaseMs)} WHERE name = ? AND holder = ?`,
        [lease.name, lease.token],
      );
      if (affected === 0) return { held: false };
      return { held: true, result: await work(manager) };
    });
  }

  /** Ends the lease; one taken over by another instance meanwhile is left alone. */
  async release(lease: HeldJobLease): Promise<void> {
    await this.db.run((m) =>
      this.db.sql(
        m,
        `UPDATE ${this.leases} SET holder = NULL, leased_until = NULL WHERE name = ? AND holder = ?`,
        [lease.name, lease.token],
      ),
    );
  }

  /** One conditional write takes a free or expired lease. */
  private async takeOver(lease: HeldJobLease): Promise<boolean> {
    const { affected } = await this.db.run((m) =>
      this.db.sql(
        m,
        `UPDATE ${this.leases} SET holder = ?, leased_until = ${this.db.nowPlus(lease.leaseMs)} ` +
          `WHERE name = ? AND (holder IS NULL OR leased_until < ${this.db.now()})`,
        [lease.token, lease.name],
      ),
    );
    return affected === 1;
  }
}
