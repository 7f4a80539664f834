import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EntityManager } from 'typeorm';
import { timeOrderedId } from '../common/time-ordered-id.js';
import { PaymentsDb } from '../database/payments-db.js';
import { isUniqueViolation } from '../database/unique-violation.js';
import { Payable } from '../entities/index.js';
import { PaymentsException } from '../errors/payments.exception.js';
import { PAYMENTS_OPTIONS } from '../payments.module-definition.js';
import type { PaymentsModuleOptions } from '../payments.options.js';
import { stripeCallWorstCaseMs } from '../stripe/stripe.client.js';

export interface PayableLease {
  payableId: string;
  token: string;
  /** The payable row was created by this lease: it cannot have checkouts or be paid yet. */
  isNew: boolean;
  paid: boolean;
}

/** Room for the database work between two renewals, and for a pause of the holder's event loop. */
const DEFAULT_LEASE_MARGIN_MS = 10_000;

/**
 * The per-payable lock, held in the database so every instance honours it: a lease (token +
 * expiry on the payable row). Expiry is judged by the database's clock. The holder renews the lease
 * before every Stripe operation, for as long as that operation can take at worst, so a lease never
 * ends while its holder works; and every write that depends on holding it is fenced with the token
 * (`fenced`), so a holder that lost it anyway (a frozen process) changes nothing.
 */
@Injectable()
export class PayableLeaseService {
  /** How long one renewal lasts: the worst case of one Stripe operation, plus a margin. */
  readonly leaseMs: number;
  private readonly waitMs: number;
  private readonly payables: string;

  constructor(
    private readonly db: PaymentsDb,
    @Inject(PAYMENTS_OPTIONS) options: PaymentsModuleOptions,
  ) {
    // An expire may be followed by a retrieve: two calls per operation.
    const operationMs = 2 * stripeCallWorstCaseMs(options.stripe);
    this.leaseMs = operationMs + (options.lockLeaseMarginMs ?? DEFAULT_LEASE_MARGIN_MS);
    this.waitMs = options.lockWaitMs ?? 5_000;
    this.payables = db.table(Payable);
  }

  /**
   * Creates the payable with its lease taken, and runs `work` in the same transaction (a new
   * payable's write-ahead checkout). Undefined when the payable exists already.
   */
  async createLeased(
    companyId: string,
    internalReferenceId: string,
    work: (manager: EntityManager, payableId: string) => Promise<void>,
  ): Promise<PayableLease | undefined> {
    const now = new Date();
    const payableId = timeOrderedId();
    const token = randomUUID();
    try {
      await this.db.transaction(async (manager) => {
        await this.db.preparedSql(
          manager,
          `INSERT INTO ${this.payables} (id, company_id, internal_reference_id, lock_token, locked_until, created_at, updated_at) ` +
            `VALUES (?, ?, ?, ?, ${this.db.nowPlus(this.leaseMs)}, ?, ?)`,
          [payableId, companyId, internalReferenceId, token, now, now],
        );
        await work(manager, payableId);
      });
      return { payableId, token, isNew: true, paid: false };
    } catch (error) {
      if (isUniqueViolation(error)) return undefined;
      throw error;
    }
  }

  /**
   * Takes the lease of an existing payable; waits (bounded) while another holder has it, then
   * answers 409 CheckoutInProgress.
   */
  async acquire(companyId: string, internalReferenceId: string): Promise<PayableLease> {
    // A monotonic clock: waiting must not depend on the wall clock jumping.
    const deadline = performance.now() + this.waitMs;
    for (let attempt = 0; ; attempt++) {
      const lease = await this.takeOver('company_id = ? AND internal_reference_id = ?', [
        companyId,
        internalReferenceId,
      ]);
      if (lease) return lease;
      if (performance.now() >= deadline) throw checkoutInProgress();
      await sleep(Math.min(10 * 2 ** attempt, 100) * (0.5 + Math.random()));
    }
  }

  /** The lease of a known payable if nobody holds it now (reconciliation); undefined otherwise. */
  tryAcquire(payableId: string): Promise<PayableLease | undefined> {
    return this.takeOver('id = ?', [payableId]);
  }

  /** Extends the lease for one more Stripe operation; 409 when it was lost to another holder. */
  async renew(lease: PayableLease): Promise<void> {
    await this.db.run((manager) => this.touch(manager, lease));
  }

  /**
   * A transaction that commits only while `lease` is still held: it first writes the payable row
   * under the token (renewing the lease), so a takeover — on this node or, in a Galera cluster, on
   * another — is serialized with it and the loser changes nothing.
   */
  fenced<T>(lease: PayableLease, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(async (manager) => {
      await this.touch(manager, lease);
      return work(manager);
    });
  }

  /**
   * A transaction that ends the lease and commits only if it was still held: the holder's last
   * writes (the new session it hands out) and the release are one.
   */
  releasing<T>(lease: PayableLease, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(async (manager) => {
      if ((await this.releaseWith(manager, lease)) === 0) throw checkoutInProgress();
      return work(manager);
    });
  }

  /** Ends the lease; a lease already taken over by someone else is left alone. */
  async release(lease: PayableLease): Promise<void> {
    await this.db.run((manager) => this.releaseWith(manager, lease));
  }

  private async releaseWith(manager: EntityManager, lease: PayableLease): Promise<number> {
    const { affected } = await this.db.preparedSql(
      manager,
      `UPDATE ${this.payables} SET lock_token = NULL, locked_until = NULL WHERE id = ? AND lock_token = ?`,
      [lease.payableId, lease.token],
    );
    return affected;
  }

  private async touch(manager: EntityManager, lease: PayableLease): Promise<void> {
    const { affected } = await this.db.preparedSql(
      manager,
      `UPDATE ${this.payables} SET locked_until = ${this.db.nowPlus(this.leaseMs)} WHERE id = ? AND lock_token = ?`,
      [lease.payableId, lease.token],
    );
    if (affected === 0) throw checkoutInProgress();
  }

  /** One conditional write takes a free or expired lease; the payable is read back only on success. */
  private async takeOver(where: string, parameters: string[]): Promise<PayableLease | undefined> {
    const token = randomUUID();
    return this.db.run(async (manager) => {
      const { affected } = await this.db.sql(
        manager,
        `UPDATE ${this.payables} SET lock_token = ?, locked_until = ${this.db.nowPlus(this.leaseMs)} ` +
          // Our own token matches too, so running this again after a lost answer keeps the lease.
          `WHERE ${where} AND (lock_token IS NULL OR lock_token = ? OR locked_until < ${this.db.now()})`,
        [token, ...parameters, token],
      );
      if (affected === 0) return undefined;
      const { rows } = await this.db.sql<{ id: string; paid_at: unknown }>(
        manager,
        `SELECT id, paid_at FROM ${this.payables} WHERE ${where}`,
        parameters,
      );
      return { payableId: rows[0].id, token, isNew: false, paid: rows[0].paid_at !== null };
    });
  }
}

function checkoutInProgress(): PaymentsException {
  return new PaymentsException(
    'CheckoutInProgress',
    'Another checkout of this payable is being created; try again shortly',
    [],
    1,
  );
}
