import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** The host's own migration: its `companies` table and the company it runs. */
export class CreateHostCompanies1700000000000 implements MigrationInterface {
  name = 'CreateHostCompanies1700000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'companies',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true },
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'org_number', type: 'varchar', length: '20' },
        ],
      }),
    );
    await queryRunner.query(
      `INSERT INTO companies (id, name, org_number) VALUES (1, 'Salong Host AB', '556677-8899')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('companies');
  }
}
