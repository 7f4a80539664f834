import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import {
  ApiKey,
  Article,
  ArticlePrice,
  ArticleType,
  Checkout,
  Company,
  Payable,
  StripeEvent,
} from '../entities/index.js';
import { INITIAL_TABLES } from '../entities/table-prefix.js';
import { tableOf } from './table-names.js';
import type { TableColumnOptions } from 'typeorm/schema-builder/options/TableColumnOptions.js';

/** Written with TypeORM's schema API (not raw SQL) so the one migration serves MySQL/MariaDB and SQLite. */
const uuid = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: '36',
  isNullable: nullable,
});
const text = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
const int = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'integer',
  isNullable: nullable,
});
const flag = (name: string, byDefault: boolean): TableColumnOptions => ({
  name,
  type: 'boolean',
  default: byDefault ? 1 : 0,
});
const time = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'datetime',
  precision: 3,
  isNullable: nullable,
});
const timestamps = (): TableColumnOptions[] => [time('created_at'), time('updated_at')];
const autoId = (): TableColumnOptions => ({
  name: 'id',
  type: 'integer',
  isPrimary: true,
  isGenerated: true,
  generationStrategy: 'increment',
});

export class InitialPaymentsSchema1764000000000 implements MigrationInterface {
  name = 'InitialPaymentsSchema1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: tableOf(queryRunner, Company),
        columns: [
          { ...uuid('id'), isPrimary: true },
          text('name', 200),
          flag('stripe_checkout_enabled', false),
          text('stripe_account_id', 255, true),
          text('default_currency', 3),
          text('default_confirmation_url', 2048, true),
          text('default_cancel_url', 2048, true),
          { name: 'redirect_host_allowlist', type: 'text', isNullable: true },
          { ...int('session_lifetime_minutes'), default: 60 },
          ...timestamps(),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: tableOf(queryRunner, ApiKey),
        columns: [
          autoId(),
          text('key_hash', 64),
          text('name', 100),
          uuid('company_id', true),
          flag('active', true),
          time('created_at'),
        ],
        uniques: [{ name: 'UQ_api_keys_key_hash', columnNames: ['key_hash'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: tableOf(queryRunner, ArticleType),
        columns: [{ ...int('id'), isPrimary: true }, text('name', 50)],
      }),
    );
    await queryRunner.query(
      `INSERT INTO ${queryRunner.connection.driver.escape(tableOf(queryRunner, ArticleType))} (id, name) ` +
        "VALUES (1, 'Service'), (2, 'PunchTicket'), (3, 'ValueCard'), (4, 'GiftCard')",
    );
    await queryRunner.createTable(
      new Table({
        name: tableOf(queryRunner, Article),
        columns: [
          autoId(),
          uuid('company_id'),
          int('article_type_id'),
          int('article_id'),
          text('name', 200),
          flag('active', true),
        ],
        indices: [
          {
            name: 'UQ_articles_company_type_article',
            columnNames: ['company_id', 'article_type_id', 'article_id'],
            isUnique: true,
          },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: tableOf(queryRunner, ArticlePrice),
        columns: [
          autoId(),
          int('article_ref'),
          text('country_code', 2, true),
          text('currency', 3),
          int('unit_amount'),
          { ...int('vat_basis_points'), default: 0 },
        ],
        indices: [
          {
            name: 'UQ_article_prices_article_country',
            columnNames: ['article_ref', 'country_code'],
            isUnique: true,
          },
        ],
        foreignKeys: [
          {
            columnNames: ['article_ref'],
            referencedTableName: tableOf(queryRunner, Article),
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
            onUpdate: 'NO ACTION',
          },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: tableOf(queryRunner, Payable),
        columns: [
          { ...uuid('id'), isPrimary: true },
          uuid('company_id'),
          text('internal_reference_id', 100),
          uuid('paid_checkout_id', true),
          time('paid_at', true),
          uuid('lock_token', true),
          time('locked_until', true),
          ...timestamps(),
        ],
        indices: [
          {
            name: 'UQ_payables_company_reference',
            columnNames: ['company_id', 'internal_reference_id'],
            isUnique: true,
          },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: tableOf(queryRunner, Checkout),
        columns: [
          { ...uuid('id'), isPrimary: true },
          uuid('payable_id'),
          uuid('company_id'),
          text('state', 16),
          text('payment_status', 32, true),
          text('ui_mode', 16),
          text('stripe_session_id', 255, true),
          text('stripe_account_id', 255),
          text('customer_id', 255, true),
          text('customer_email', 320, true),
          text('payment_intent_id', 255, true),
          text('url', 2048, true),
          int('amount_total'),
          text('currency', 3),
          { name: 'line_items', type: 'text' },
          { name: 'stripe_request', type: 'text' },
          text('idempotency_key', 64),
          uuid('invalidated_by', true),
          flag('refund_required', false),
          time('expires_at'),
          ...timestamps(),
        ],
        uniques: [
          { name: 'UQ_checkouts_stripe_session_id', columnNames: ['stripe_session_id'] },
          { name: 'UQ_checkouts_idempotency_key', columnNames: ['idempotency_key'] },
        ],
        indices: [
          { name: 'IX_checkouts_payable_state', columnNames: ['payable_id', 'state'] },
          { name: 'IX_checkouts_state_updated', columnNames: ['state', 'updated_at'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: tableOf(queryRunner, StripeEvent),
        columns: [
          autoId(),
          text('event_id', 255),
          text('type', 100),
          text('account', 255, true),
          time('received_at'),
          time('processed_at', true),
        ],
        uniques: [{ name: 'UQ_stripe_events_event_id', columnNames: ['event_id'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [entity, base] of [...INITIAL_TABLES].reverse()) {
      // Tables renamed back by PrefixPaymentsTables' down() have their first names again.
      const name = tableOf(queryRunner, entity);
      await queryRunner.dropTable((await queryRunner.hasTable(name)) ? name : base);
    }
  }
}
