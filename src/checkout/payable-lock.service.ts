import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { QueryFailedError, type DataSource } from 'typeorm';
import { retryOnTransientDbError } from '../common/transient-db-error.js';
import { Payable } from '../entities/index.js';
import { PaymentsException } from '../errors/payments.exception.js';
import { PAYMENTS_OPTIONS } from '../payments.module-definition.js';
import type { PaymentsModuleOptions } from '../payments.options.js';

export interface PayableLease {
  payableId: string;
  token: string;
  /** The payable row was created by this lease: it cannot have sessions or be paid yet. */
  isNew: boolean;
  paid: boolean;
}

/**
 * The per-payable lock, held in the database so every service instance honours it: a lease
 * (token + expiry) taken with one conditional write. It is not a row lock because the lock must
 * outlive the commit of the write-ahead checkout row, and a lease also frees itself after a crash.
 */
@Injectable()
export class PayableLockService {
  private readonly leaseMs: number;
  private readonly waitMs: number;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PAYMENTS_OPTIONS) options: PaymentsModuleOptions,
  ) {
    this.leaseMs = options.lockLeaseMs ?? 60_000;
    this.waitMs = options.lockWaitMs ?? 5_000;
  }

  async acquire(companyId: string, internalReferenceId: string): Promise<PayableLease> {
    const token = randomUUID();
    const deadline = Date.now() + this.waitMs;
    for (let attempt = 0; ; attempt++) {
      // Concurrent inserts of one unique key can deadlock in InnoDB; each statement is its own commit.
      const lease =
        (await retryOnTransientDbError(() =>
          this.insertLocked(companyId, internalReferenceId, token),
        )) ??
        (await retryOnTransientDbError(() =>
          this.takeExisting(companyId, internalReferenceId, token),
        ));
      if (lease) return lease;
      if (Date.now() >= deadline) {
        throw new PaymentsException(
          'CheckoutInProgress',
          'Another checkout of this payable is being created; try again shortly',
          [],
          1,
        );
      }
      await sleep(Math.min(10 * 2 ** attempt, 100) * (0.5 + Math.random()));
    }
  }

  async release(lease: PayableLease): Promise<void> {
    await retryOnTransientDbError(() =>
      this.dataSource
        .createQueryBuilder()
        .update(Payable)
        .set({ lockToken: null, lockedUntil: null })
        .where('id = :id AND lock_token = :token', { id: lease.payableId, token: lease.token })
        .execute(),
    );
  }

  async isPaid(payableId: string): Promise<boolean> {
    const row = await this.dataSource
      .getRepository(Payable)
      .findOne({ select: { id: true, paidAt: true }, where: { id: payableId } });
    return Boolean(row?.paidAt);
  }

  private async insertLocked(
    companyId: string,
    internalReferenceId: string,
    token: string,
  ): Promise<PayableLease | undefined> {
    const now = new Date();
    const payableId = randomUUID();
    try {
      await this.dataSource
        .createQueryBuilder()
        .insert()
        .into(Payable)
        .values({
          id: payableId,
          companyId,
          internalReferenceId,
          lockToken: token,
          lockedUntil: new Date(now.getTime() + this.leaseMs),
          createdAt: now,
          updatedAt: now,
        })
        .execute();
      return { payableId, token, isNew: true, paid: false };
    } catch (error) {
      if (isUniqueViolation(error)) return undefined;
      throw error;
    }
  }

  private async takeExisting(
    companyId: string,
    internalReferenceId: string,
    token: string,
  ): Promise<PayableLease | undefined> {
    const now = new Date();
    const result = await this.dataSource
      .createQueryBuilder()
      .update(Payable)
      .set({
        lockToken: token,
        lockedUntil: new Date(now.getTime() + this.leaseMs),
        updatedAt: now,
      })
      .where('company_id = :companyId AND internal_reference_id = :internalReferenceId', {
        companyId,
        internalReferenceId,
      })
      .andWhere('(lock_token IS NULL OR locked_until < :now)', { now })
      .execute();
    if (!result.affected) return undefined;
    const payable = await this.dataSource.getRepository(Payable).findOneOrFail({
      select: { id: true, paidAt: true },
      where: { companyId, internalReferenceId },
    });
    return { payableId: payable.id, token, isNew: false, paid: payable.paidAt !== null };
  }
}

export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; errno?: number };
  return (
    driverError.code === 'ER_DUP_ENTRY' ||
    driverError.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    driverError.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}
