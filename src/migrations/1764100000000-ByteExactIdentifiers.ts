import type { MigrationInterface, QueryRunner } from 'typeorm';
import { INITIAL_TABLES } from '../entities/table-prefix.js';
import { convert, isMysqlFamily, noPadBinaryCollation } from './binary-collation.js';
import { tableOf } from './table-names.js';

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
  return INITIAL_TABLES.map(([entity]) => tableOf(queryRunner, entity));
}
