import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

export type DeliveryState = 'pending' | 'delivered' | 'failed';

/**
 * One event to one subscriber (an endpoint, or an in-process handler), until it is delivered or
 * its retry schedule is spent. A worker of any instance claims it with a lease by database clock.
 */
@Entity('event_deliveries')
@Unique('UQ_event_deliveries_event_subscriber', ['eventId', 'subscriber'])
@Index('IX_event_deliveries_state_next', ['state', 'nextAttemptAt'])
@Index('IX_event_deliveries_state_created', ['state', 'createdAt'])
@Index('IX_event_deliveries_subscriber_state_created', ['subscriber', 'state', 'createdAt'])
export class EventDelivery {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'event_position', type: 'int' })
  eventPosition: number;

  @Column({ name: 'event_id', type: 'varchar', length: 36 })
  eventId: string;

  /** An endpoint id, or `handler:<Class>.<method>`. */
  @Column({ type: 'varchar', length: 200 })
  subscriber: string;

  @Column({ type: 'varchar', length: 16 })
  state: DeliveryState;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'datetime', precision: 3 })
  nextAttemptAt: Date;

  @Column({ name: 'claim_token', type: 'varchar', length: 36, nullable: true })
  claimToken: string | null;

  @Column({ name: 'claimed_until', type: 'datetime', precision: 3, nullable: true })
  claimedUntil: Date | null;

  /** A resend asked for while an attempt was in flight: due again once that one is recorded. */
  @Column({ name: 'resend_requested', type: 'boolean', default: false })
  resendRequested: boolean;

  @Column({ name: 'last_status', type: 'int', nullable: true })
  lastStatus: number | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'delivered_at', type: 'datetime', precision: 3, nullable: true })
  deliveredAt: Date | null;
}
