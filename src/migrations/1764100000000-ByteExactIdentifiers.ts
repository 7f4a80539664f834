import { TableForeignKey, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Every table of the module; each is converted whole, so its later columns inherit the collation. */
const TABLES = [
  'companies',
  'api_keys',
  'article_types',
  'articles',
  'article_prices',
  'payables',
  'checkouts',
  'stripe_events',
];

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
 *
 * Also states the price → article foreign key's `ON UPDATE NO ACTION` as the entity has it: MySQL
 * and MariaDB stored the initial migration's unstated rule as RESTRICT (the same behaviour under
 * another name), which `migration:generate` reported as a change on every run.
 */
export class ByteExactIdentifiers1764100000000 implements MigrationInterface {
  name = 'ByteExactIdentifiers1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (!isMysqlFamily(queryRunner)) return;
    const collation = await noPadBinaryCollation(queryRunner);
    for (const table of TABLES) await convert(queryRunner, table, collation);
    await setPriceArticleOnUpdate(queryRunner, 'NO ACTION');
  }

  /** Fails with a duplicate key when rows now differ only in case, accents or trailing spaces. */
  async down(queryRunner: QueryRunner): Promise<void> {
    if (!isMysqlFamily(queryRunner)) return;
    await setPriceArticleOnUpdate(queryRunner, undefined);
    for (const table of TABLES) await convert(queryRunner, table, PREVIOUS_COLLATION);
  }
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

async function setPriceArticleOnUpdate(
  queryRunner: QueryRunner,
  onUpdate: 'NO ACTION' | undefined,
): Promise<void> {
  const table = await queryRunner.getTable('article_prices');
  const key = table?.foreignKeys.find((fk) => fk.columnNames.join() === 'article_ref');
  if (!table || !key) return;
  await queryRunner.dropForeignKey(table, key);
  await queryRunner.createForeignKey(
    table,
    new TableForeignKey({
      name: key.name,
      columnNames: key.columnNames,
      referencedTableName: 'articles',
      referencedColumnNames: key.referencedColumnNames,
      onDelete: key.onDelete,
      onUpdate,
    }),
  );
}
