import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The thing being paid for (a booking, a rebate code). Its row is the per-payable lock
 * (a lease: lockToken + lockedUntil) shared by every service instance, and holds the paid flag.
 */
@Entity('payables')
@Index('UQ_payables_company_reference', ['companyId', 'internalReferenceId'], { unique: true })
export class Payable {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'company_id', type: 'varchar', length: 36 })
  companyId: string;

  @Column({ name: 'internal_reference_id', type: 'varchar', length: 100 })
  internalReferenceId: string;

  @Column({ name: 'paid_checkout_id', type: 'varchar', length: 36, nullable: true })
  paidCheckoutId: string | null;

  @Column({ name: 'paid_at', type: 'datetime', precision: 3, nullable: true })
  paidAt: Date | null;

  /** The Sequence of the payable's last event. */
  @Column({ name: 'event_sequence', type: 'int', default: 0 })
  eventSequence: number;

  @Column({ name: 'lock_token', type: 'varchar', length: 36, nullable: true })
  lockToken: string | null;

  @Column({ name: 'locked_until', type: 'datetime', precision: 3, nullable: true })
  lockedUntil: Date | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
