import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { Checkout, Payable, OutboxEvent } from '../entities/index.js';
import { withBinaryCollation } from './binary-collation.js';
import { tableOf } from './table-names.js';

/** The outbox of events, each payable's event sequence, and why a checkout is being expired. */
export class PaymentEvents1764200000000 implements MigrationInterface {
  name = 'PaymentEvents1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const events = tableOf(queryRunner, OutboxEvent);
    await queryRunner.createTable(
      new Table({
        name: events,
        columns: [
          {
            name: 'position',
            type: 'integer',
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          { name: 'event_id', type: 'varchar', length: '36' },
          { name: 'type', type: 'varchar', length: '40' },
          { name: 'company_id', type: 'varchar', length: '36' },
          { name: 'payable_id', type: 'varchar', length: '36' },
          { name: 'internal_reference_id', type: 'varchar', length: '100' },
          { name: 'sequence', type: 'integer' },
          { name: 'data', type: 'text' },
          { name: 'fanned_out', type: 'boolean', default: 0 },
          { name: 'created_at', type: 'datetime', precision: 3 },
        ],
        uniques: [
          { name: 'UQ_events_event_id', columnNames: ['event_id'] },
          { name: 'UQ_events_payable_sequence', columnNames: ['payable_id', 'sequence'] },
        ],
        indices: [
          { name: 'IX_events_company_position', columnNames: ['company_id', 'position'] },
          { name: 'IX_events_fanned_out_position', columnNames: ['fanned_out', 'position'] },
        ],
      }),
    );
    await withBinaryCollation(queryRunner, [events]);
    await queryRunner.addColumn(
      tableOf(queryRunner, Payable),
      new TableColumn({ name: 'event_sequence', type: 'integer', default: 0 }),
    );
    await queryRunner.addColumn(
      tableOf(queryRunner, Checkout),
      new TableColumn({ name: 'expire_reason', type: 'varchar', length: '16', isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn(tableOf(queryRunner, Checkout), 'expire_reason');
    await queryRunner.dropColumn(tableOf(queryRunner, Payable), 'event_sequence');
    await queryRunner.dropTable(tableOf(queryRunner, OutboxEvent));
  }
}
