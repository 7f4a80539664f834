import type { QueryRunner } from 'typeorm';

/**
 * Binary collations that keep trailing spaces significant (NO PAD), in order of preference:
 * MariaDB ≥ 10.2, MySQL ≥ 8.0.17. `utf8mb4_bin` is PAD SPACE: `abc` and `abc ` would be one key.
 */
export const NO_PAD_BINARY_COLLATIONS = ['utf8mb4_nopad_bin', 'utf8mb4_0900_bin'];

/**
 * A table created on MySQL/MariaDB takes the database's default collation, which on an existing
 * install may be case-insensitive: every new table of the module is converted at once.
 */
export async function withBinaryCollation(queryRunner: QueryRunner, tables: string[]) {
  if (!isMysqlFamily(queryRunner)) return;
  const collation = await noPadBinaryCollation(queryRunner);
  for (const table of tables) await convert(queryRunner, table, collation);
}

export function isMysqlFamily(queryRunner: QueryRunner): boolean {
  const { type } = queryRunner.connection.driver.options;
  return type === 'mysql' || type === 'mariadb';
}

export async function noPadBinaryCollation(queryRunner: QueryRunner): Promise<string> {
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

export async function convert(
  queryRunner: QueryRunner,
  table: string,
  collation: string,
): Promise<void> {
  await queryRunner.query(
    `ALTER TABLE \`${table}\` CONVERT TO CHARACTER SET utf8mb4 COLLATE ${collation}`,
  );
}
