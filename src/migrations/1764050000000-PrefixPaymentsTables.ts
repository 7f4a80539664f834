import { TableForeignKey, type MigrationInterface, type QueryRunner } from 'typeorm';
import { ArticlePrice } from '../entities/index.js';
import { INITIAL_TABLES } from '../entities/table-prefix.js';
import { tableOf } from './table-names.js';

/**
 * Installs from before the table prefix have `companies`, `checkouts`, ...: they are renamed to
 * the entities' names. A table is renamed only when the prefixed one does not exist yet, so a
 * fresh install (whose first migration made the prefixed tables) never touches a host's own
 * `companies`. TypeORM's renameTable carries the foreign keys' generated names along.
 */
export class PrefixPaymentsTables1764050000000 implements MigrationInterface {
  name = 'PrefixPaymentsTables1764050000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [entity, base] of INITIAL_TABLES) {
      const name = tableOf(queryRunner, entity);
      if (name === base || (await queryRunner.hasTable(name))) continue;
      if (await queryRunner.hasTable(base)) await queryRunner.renameTable(base, name);
    }
    await this.priceArticleKeyAsEntities(queryRunner);
  }

  /**
   * The first migration left ON UPDATE to the database: MariaDB made it RESTRICT, the entity says
   * NO ACTION (TypeORM's default). Made the same, so the schema has no drift on either database.
   */
  private async priceArticleKeyAsEntities(queryRunner: QueryRunner): Promise<void> {
    const table = await queryRunner.getTable(tableOf(queryRunner, ArticlePrice));
    const key = table?.foreignKeys.find((fk) => fk.columnNames.includes('article_ref'));
    if (!table || !key || key.onUpdate === 'NO ACTION') return;
    await queryRunner.dropForeignKey(table, key);
    await queryRunner.createForeignKey(
      table,
      new TableForeignKey({
        columnNames: key.columnNames,
        referencedTableName: key.referencedTableName,
        referencedColumnNames: key.referencedColumnNames,
        onDelete: key.onDelete,
        onUpdate: 'NO ACTION',
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [entity, base] of [...INITIAL_TABLES].reverse()) {
      const name = tableOf(queryRunner, entity);
      if (name === base || (await queryRunner.hasTable(base))) continue;
      if (await queryRunner.hasTable(name)) await queryRunner.renameTable(name, base);
    }
  }
}
