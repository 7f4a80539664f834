import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { Article } from './article.entity.js';

@Entity('article_prices')
@Index('UQ_article_prices_article_country', ['articleRef', 'countryCode'], { unique: true })
export class ArticlePrice {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'article_ref', type: 'int' })
  articleRef: number;

  @ManyToOne(() => Article, (article) => article.prices, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'article_ref' })
  article: Relation<Article>;

  /** ISO 3166-1 alpha-2; null is the article's default price. */
  @Column({ name: 'country_code', type: 'varchar', length: 2, nullable: true })
  countryCode: string | null;

  @Column({ type: 'varchar', length: 3 })
  currency: string;

  @Column({ name: 'unit_amount', type: 'int' })
  unitAmount: number;

  /** Basis points (2500 = 25 %) so VAT stays an integer like money. */
  @Column({ name: 'vat_basis_points', type: 'int', default: 0 })
  vatBasisPoints: number;
}
