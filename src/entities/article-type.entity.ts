import { Column, Entity, PrimaryColumn } from 'typeorm';

/** BokaMera does not publish its ids; ours are 1 Service, 2 PunchTicket, 3 ValueCard, 4 GiftCard. */
@Entity('article_types')
export class ArticleType {
  @PrimaryColumn({ type: 'int' })
  id: number;

  @Column({ type: 'varchar', length: 50 })
  name: string;
}
