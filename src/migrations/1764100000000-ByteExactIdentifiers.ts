import type { MigrationInterface, QueryRunner } from 'typeorm';
import { BASE_TABLE_NAMES } from '../entities/table-prefix.js';
import { tableOf } from './table-names.js';

/**
 * Binary collations that keep trailing spaces significant (NO PAD), in order of preference:
 * MariaDB ≥ 10.2, MySQL ≥ 8.0.17. `utf8mb4_bin` is PAD SPACE: `abc` and `abc ` would be one key.
 */
export const NO_PAD_BINARY_COLLATIONS = ['utf8mb4_nopad_bin', 'utf8mb4_0900_bin'];

/** What the tables had before: the collation the standalone service created its databases with. */
const PREVIOUS_COLLATION = 'utf8mb4_unicode_ci';

/**
 * Identifiers compare as bytes on every database: `InternalReferenceId`, Stripe session and event
 * ids, idempotency keys, company ids and key hashes. MySQL/MariaDB's `utf8mb4_unicode_ci` made
 * `abc`, `ABC`, `ábc` and `abc ` one payable (a paid `abc` answered `ABC` with 409) and two event
 * ids differing in case one event. SQLite compares bytes already: nothing to do there.
 * Each table is converted whole, so columns added later inherit the collation.
 */
export class ByteExactIdentifiers1764100000000 implements MigrationInterface {
  name = 'ByteExactIdentifiers1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (!isMysqlFamily(queryRunner)) return;
    const collation = await noPadBinaryCollation(queryRunner);
    for (const table of tables(queryRunner)) await convert(queryRunner, table, collation);
  }

  /** Fails with a duplicate key when rows now differ only in case, accents or trailing spaces. */
  async down(queryRunner: QueryRunner): Promise<void> {
    if (!isMysqlFamily(queryRunner)) return;
    for (const table of tables(queryRunner)) await convert(queryRunner, table, PREVIOUS_COLLATION);
  }
}

function tables(queryRunner: QueryRunner): string[] {
  return [...BASE_TABLE_NAMES.keys()].map((entity) => tableOf(queryRunner, entity));
}

function isMysqlFamily(queryRunner: QueryRunner): boolean {
  const { type } = queryRunner.connection.driver.options;
  return type === 'mysql' || type === 'mariadb';
}

async function noPadBinaryCollation(queryRunner: QueryRunner): Promise<string> {
  const rows: { name: string }[] = await queryRunner.query(
    'SELECT COLLATION_NAME AS name FROM information_schema.COLLATIONS WHERE COLLATION_NAME IN (?, ?)',
    NO_PAD_BINARY_COLLATIONS,
  );
  const available = new Set(rows.map((row) => row.name));
  const collation = NO_PAD_BINARY_COLLATIONS.find((name) => available.has(name));
  if (!collation) {
    throw new Error(
      'The payments tables need a binary NO PAD collation (utf8mb4_nopad_bin or utf8mb4_0900_bin): use MariaDB 10.2+ or MySQL 8.0.17+',
    );
  }
  return collation;
}

async function convert(queryRunner: QueryRunner, table: string, collation: string): Promise<void> {
  await queryRunner.query(
    `ALTER TABLE \`${table}\` CONVERT TO CHARACTER SET utf8mb4 COLLATE ${collation}`,
  );
}
