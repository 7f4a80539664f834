import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One HTTP attempt of a delivery to an endpoint: what the endpoint's attempts log shows. */
@Entity('webhook_attempts')
@Index('IX_webhook_attempts_endpoint_attempted', ['endpointId', 'attemptedAt', 'id'])
@Index('IX_webhook_attempts_delivery', ['deliveryId'])
@Index('IX_webhook_attempts_attempted', ['attemptedAt'])
export class WebhookAttempt {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'delivery_id', type: 'varchar', length: 36 })
  deliveryId: string;

  @Column({ name: 'endpoint_id', type: 'varchar', length: 36 })
  endpointId: string;

  @Column({ name: 'event_id', type: 'varchar', length: 36 })
  eventId: string;

  @Column({ name: 'event_type', type: 'varchar', length: 40 })
  eventType: string;

  @Column({ name: 'attempted_at', type: 'datetime', precision: 3 })
  attemptedAt: Date;

  /** Null when no answer came (timeout, refused, reset). */
  @Column({ name: 'status_code', type: 'int', nullable: true })
  statusCode: number | null;

  @Column({ name: 'latency_ms', type: 'int' })
  latencyMs: number;

  /** The first 1 KB of the answer. */
  @Column({ name: 'response_body', type: 'varchar', length: 1024, nullable: true })
  responseBody: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  error: string | null;
}
