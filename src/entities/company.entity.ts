import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('companies')
export class Company {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ name: 'stripe_checkout_enabled', type: 'boolean', default: false })
  stripeCheckoutEnabled: boolean;

  @Column({ name: 'stripe_account_id', type: 'varchar', length: 255, nullable: true })
  stripeAccountId: string | null;

  @Column({ name: 'default_currency', type: 'varchar', length: 3 })
  defaultCurrency: string;

  @Column({ name: 'default_confirmation_url', type: 'varchar', length: 2048, nullable: true })
  defaultConfirmationUrl: string | null;

  @Column({ name: 'default_cancel_url', type: 'varchar', length: 2048, nullable: true })
  defaultCancelUrl: string | null;

  /** Hosts a ConfirmationUrl/CancelUrl may point at; null = any host. */
  @Column({ name: 'redirect_host_allowlist', type: 'simple-json', nullable: true })
  redirectHostAllowlist: string[] | null;

  /** Stripe accepts 30..1440 minutes between creation and expires_at. */
  @Column({ name: 'session_lifetime_minutes', type: 'int', default: 60 })
  sessionLifetimeMinutes: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
