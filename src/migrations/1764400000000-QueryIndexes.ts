import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { Checkout, OutboxEvent, StripeEvent } from '../entities/index.js';
import { tableOf } from './table-names.js';

/**
 * Every query of the checkout, webhook, reconciliation and retention paths served by an index,
 * sort included; and the create-time copy of the Stripe parameters dropped once not needed.
 */
export class QueryIndexes1764400000000 implements MigrationInterface {
  name = 'QueryIndexes1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const checkouts = tableOf(queryRunner, Checkout);
    await queryRunner.dropIndex(checkouts, 'IX_checkouts_payable_state');
    await queryRunner.dropIndex(checkouts, 'IX_checkouts_state_updated');
    await queryRunner.createIndices(checkouts, [
      index('IX_checkouts_payable_state_created', ['payable_id', 'state', 'created_at', 'id']),
      index('IX_checkouts_payable_created', ['payable_id', 'created_at', 'id']),
      index('IX_checkouts_state_payment_updated', ['state', 'payment_status', 'updated_at']),
    ]);
    await setNullable(queryRunner, checkouts, 'stripe_request', true);
    await queryRunner.createIndex(
      tableOf(queryRunner, StripeEvent),
      index('IX_stripe_events_received', ['received_at']),
    );
    await queryRunner.createIndex(
      tableOf(queryRunner, OutboxEvent),
      index('IX_events_created', ['created_at']),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const checkouts = tableOf(queryRunner, Checkout);
    await queryRunner.dropIndex(tableOf(queryRunner, OutboxEvent), 'IX_events_created');
    await queryRunner.dropIndex(tableOf(queryRunner, StripeEvent), 'IX_stripe_events_received');
    await setNullable(queryRunner, checkouts, 'stripe_request', false);
    for (const name of [
      'IX_checkouts_payable_state_created',
      'IX_checkouts_payable_created',
      'IX_checkouts_state_payment_updated',
    ]) {
      await queryRunner.dropIndex(checkouts, name);
    }
    await queryRunner.createIndices(checkouts, [
      index('IX_checkouts_payable_state', ['payable_id', 'state']),
      index('IX_checkouts_state_updated', ['state', 'updated_at']),
    ]);
  }
}

function index(name: string, columnNames: string[]): TableIndex {
  return new TableIndex({ name, columnNames });
}

/** (SQLite changes a column by rebuilding its table; TypeORM does that.) */
async function setNullable(
  queryRunner: QueryRunner,
  table: string,
  name: string,
  nullable: boolean,
): Promise<void> {
  const loaded = await queryRunner.getTable(table);
  const column = loaded?.findColumnByName(name);
  if (!loaded || !column) throw new Error(`${table}.${name} does not exist`);
  const changed = column.clone();
  changed.isNullable = nullable;
  await queryRunner.changeColumn(loaded, column, changed);
}
