import type { EntityTarget, ObjectLiteral, QueryRunner } from 'typeorm';

/**
 * A table's name as the host's DataSource has it (our prefix, and TypeORM's `entityPrefix` when the
 * host sets one): migrations follow the entities, so both always agree.
 */
export function tableOf(queryRunner: QueryRunner, entity: EntityTarget<ObjectLiteral>): string {
  const dataSource = queryRunner.connection;
  if (!dataSource.hasMetadata(entity)) {
    throw new Error(
      'The payments migrations need the payments entities: add PAYMENTS_ENTITIES (or paymentsEntities()) to the DataSource',
    );
  }
  return dataSource.getMetadata(entity).tableName;
}
