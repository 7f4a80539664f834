import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * The outbox: an event about a payable, written in the transaction of the state change that
 * caused it (no event without its change, no change without its event). Delivery reads it later.
 */
@Entity('events')
@Unique('UQ_events_event_id', ['eventId'])
@Unique('UQ_events_payable_sequence', ['payableId', 'sequence'])
@Index('IX_events_company_position', ['companyId', 'position'])
@Index('IX_events_fanned_out_position', ['fannedOut', 'position'])
// Retention's old events, fanned out already.
@Index('IX_events_fanned_out_created', ['fannedOut', 'createdAt'])
export class OutboxEvent {
  /** Commit-ordered enough to page through a company's events; not the event's identity. */
  @PrimaryGeneratedColumn({ type: 'int' })
  position: number;

  /** The event `Id`, the same on every delivery. */
  @Column({ name: 'event_id', type: 'varchar', length: 36 })
  eventId: string;

  @Column({ type: 'varchar', length: 40 })
  type: string;

  @Column({ name: 'company_id', type: 'varchar', length: 36 })
  companyId: string;

  @Column({ name: 'payable_id', type: 'varchar', length: 36 })
  payableId: string;

  @Column({ name: 'internal_reference_id', type: 'varchar', length: 100 })
  internalReferenceId: string;

  /** 1, 2, 3, ... per payable, in the order its changes were made. */
  @Column({ type: 'int' })
  sequence: number;

  /** The event's `Data`, JSON. */
  @Column({ type: 'text' })
  data: string;

  /** Its deliveries (endpoints, in-process handlers) have been planned. */
  @Column({ name: 'fanned_out', type: 'boolean', default: false })
  fannedOut: boolean;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}
