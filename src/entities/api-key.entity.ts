import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** Only the SHA-256 of a key is stored; companyId null means a platform key (all companies). */
@Entity('api_keys')
@Unique('UQ_api_keys_key_hash', ['keyHash'])
export class ApiKey {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'key_hash', type: 'varchar', length: 64 })
  keyHash: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ name: 'company_id', type: 'varchar', length: 36, nullable: true })
  companyId: string | null;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}
