import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Who runs a background job now (one instance at a time), and until when: see `JobLeases`. */
@Entity('job_leases')
export class JobLease {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name: string;

  /** The token of the instance holding the lease; null when released. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  holder: string | null;

  /** Judged by the database's clock. */
  @Column({ name: 'leased_until', type: 'datetime', precision: 3, nullable: true })
  leasedUntil: Date | null;
}
