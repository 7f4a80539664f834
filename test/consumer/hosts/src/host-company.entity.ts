import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The host's own companies: a table named like one of the module's, before its prefix. */
@Entity('companies')
export class HostCompany {
  @PrimaryColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ name: 'org_number', type: 'varchar', length: 20 })
  orgNumber: string;
}
