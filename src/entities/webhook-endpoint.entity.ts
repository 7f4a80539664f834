import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A company's receiver of events over HTTP (BokaMera's `WebhookEndpointRecord`). */
@Entity('webhook_endpoints')
@Index('IX_webhook_endpoints_company_created', ['companyId', 'createdAt'])
export class WebhookEndpointRecord {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'company_id', type: 'varchar', length: 36 })
  companyId: string;

  @Column({ type: 'varchar', length: 2048 })
  url: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  description: string | null;

  @Column({ type: 'boolean', default: false })
  disabled: boolean;

  /** Why the service disabled it (`gone`: it answered 410; `failing`: failing for 5 days). */
  @Column({ name: 'disabled_reason', type: 'varchar', length: 40, nullable: true })
  disabledReason: string | null;

  /** JSON list of event types; `*` for all. */
  @Column({ name: 'event_types', type: 'text' })
  eventTypes: string;

  /** `whsec_<base64>`: only ever shown on create, rotate and `IncludeSecret=true`. */
  @Column({ type: 'varchar', length: 100 })
  secret: string;

  /** The secret before the last rotation, also signed with until it expires. */
  @Column({ name: 'previous_secret', type: 'varchar', length: 100, nullable: true })
  previousSecret: string | null;

  @Column({ name: 'previous_secret_expires_at', type: 'datetime', precision: 3, nullable: true })
  previousSecretExpiresAt: Date | null;

  /** The start of its current run of failed attempts (database clock); null when it answers. */
  @Column({ name: 'failing_since', type: 'datetime', precision: 3, nullable: true })
  failingSince: Date | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
