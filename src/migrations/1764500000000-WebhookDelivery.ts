import { Table, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';
import { EventDelivery, WebhookAttempt, WebhookEndpointRecord } from '../entities/index.js';
import { withBinaryCollation } from './binary-collation.js';
import { tableOf } from './table-names.js';

const id = (name: string): TableColumnOptions => ({ name, type: 'varchar', length: '36' });
const time = (name: string, isNullable = false): TableColumnOptions => ({
  name,
  type: 'datetime',
  precision: 3,
  isNullable,
});

/** Webhook endpoints, the deliveries of each event to its subscribers, and the attempts log. */
export class WebhookDelivery1764500000000 implements MigrationInterface {
  name = 'WebhookDelivery1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const endpoints = tableOf(queryRunner, WebhookEndpointRecord);
    const deliveries = tableOf(queryRunner, EventDelivery);
    const attempts = tableOf(queryRunner, WebhookAttempt);
    await queryRunner.createTable(
      new Table({
        name: endpoints,
        columns: [
          { ...id('id'), isPrimary: true },
          id('company_id'),
          { name: 'url', type: 'varchar', length: '2048' },
          { name: 'description', type: 'varchar', length: '500', isNullable: true },
          { name: 'disabled', type: 'boolean', default: 0 },
          { name: 'disabled_reason', type: 'varchar', length: '40', isNullable: true },
          { name: 'event_types', type: 'text' },
          { name: 'secret', type: 'varchar', length: '100' },
          { name: 'previous_secret', type: 'varchar', length: '100', isNullable: true },
          time('previous_secret_expires_at', true),
          time('failing_since', true),
          time('created_at'),
          time('updated_at'),
        ],
        indices: [
          {
            name: 'IX_webhook_endpoints_company_created',
            columnNames: ['company_id', 'created_at'],
          },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: deliveries,
        columns: [
          { ...id('id'), isPrimary: true },
          { name: 'event_position', type: 'integer' },
          id('event_id'),
          { name: 'subscriber', type: 'varchar', length: '200' },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'attempts', type: 'integer', default: 0 },
          time('next_attempt_at'),
          { ...id('claim_token'), isNullable: true },
          time('claimed_until', true),
          { name: 'resend_requested', type: 'boolean', default: 0 },
          { name: 'last_status', type: 'integer', isNullable: true },
          time('created_at'),
          time('delivered_at', true),
        ],
        uniques: [
          { name: 'UQ_event_deliveries_event_subscriber', columnNames: ['event_id', 'subscriber'] },
        ],
        indices: [
          { name: 'IX_event_deliveries_state_next', columnNames: ['state', 'next_attempt_at'] },
          {
            name: 'IX_event_deliveries_subscriber_state_created',
            columnNames: ['subscriber', 'state', 'created_at'],
          },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: attempts,
        columns: [
          { ...id('id'), isPrimary: true },
          id('delivery_id'),
          id('endpoint_id'),
          id('event_id'),
          { name: 'event_type', type: 'varchar', length: '40' },
          time('attempted_at'),
          { name: 'status_code', type: 'integer', isNullable: true },
          { name: 'latency_ms', type: 'integer' },
          { name: 'response_body', type: 'varchar', length: '1024', isNullable: true },
          { name: 'error', type: 'varchar', length: '500', isNullable: true },
        ],
        indices: [
          {
            name: 'IX_webhook_attempts_endpoint_attempted',
            columnNames: ['endpoint_id', 'attempted_at', 'id'],
          },
          { name: 'IX_webhook_attempts_delivery', columnNames: ['delivery_id'] },
        ],
      }),
    );
    await withBinaryCollation(queryRunner, [endpoints, deliveries, attempts]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable(tableOf(queryRunner, WebhookAttempt));
    await queryRunner.dropTable(tableOf(queryRunner, EventDelivery));
    await queryRunner.dropTable(tableOf(queryRunner, WebhookEndpointRecord));
  }
}
