import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import {
  EventDelivery,
  JobLease,
  OutboxEvent,
  StripeEvent,
  WebhookAttempt,
} from '../entities/index.js';
import { withBinaryCollation } from './binary-collation.js';
import { tableOf } from './table-names.js';

/**
 * The background jobs' leases (one instance runs a job at a time), and the indexes retention
 * prunes by: processed Stripe events by processing time, fanned-out outbox events, settled
 * deliveries and webhook attempts by age.
 */
export class JobLeasesAndRetention1764600000000 implements MigrationInterface {
  name = 'JobLeasesAndRetention1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const leases = tableOf(queryRunner, JobLease);
    await queryRunner.createTable(
      new Table({
        name: leases,
        columns: [
          { name: 'name', type: 'varchar', length: '64', isPrimary: true },
          { name: 'holder', type: 'varchar', length: '36', isNullable: true },
          { name: 'leased_until', type: 'datetime', precision: 3, isNullable: true },
        ],
      }),
    );
    await withBinaryCollation(queryRunner, [leases]);
    const stripeEvents = tableOf(queryRunner, StripeEvent);
    await queryRunner.dropIndex(stripeEvents, 'IX_stripe_events_received');
    await queryRunner.createIndex(
      stripeEvents,
      index('IX_stripe_events_processed', ['processed_at']),
    );
    const events = tableOf(queryRunner, OutboxEvent);
    await queryRunner.dropIndex(events, 'IX_events_created');
    await queryRunner.createIndex(
      events,
      index('IX_events_fanned_out_created', ['fanned_out', 'created_at']),
    );
    await queryRunner.createIndex(
      tableOf(queryRunner, EventDelivery),
      index('IX_event_deliveries_state_created', ['state', 'created_at']),
    );
    await queryRunner.createIndex(
      tableOf(queryRunner, WebhookAttempt),
      index('IX_webhook_attempts_attempted', ['attempted_at']),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex(
      tableOf(queryRunner, WebhookAttempt),
      'IX_webhook_attempts_attempted',
    );
    await queryRunner.dropIndex(
      tableOf(queryRunner, EventDelivery),
      'IX_event_deliveries_state_created',
    );
    const events = tableOf(queryRunner, OutboxEvent);
    await queryRunner.dropIndex(events, 'IX_events_fanned_out_created');
    await queryRunner.createIndex(events, index('IX_events_created', ['created_at']));
    const stripeEvents = tableOf(queryRunner, StripeEvent);
    await queryRunner.dropIndex(stripeEvents, 'IX_stripe_events_processed');
    await queryRunner.createIndex(
      stripeEvents,
      index('IX_stripe_events_received', ['received_at']),
    );
    await queryRunner.dropTable(tableOf(queryRunner, JobLease));
  }
}

function index(name: string, columnNames: string[]): TableIndex {
  return new TableIndex({ name, columnNames });
}
