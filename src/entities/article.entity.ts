import { Column, Entity, Index, OneToMany, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { ArticlePrice } from './article-price.entity.js';

@Entity('articles')
@Index('UQ_articles_company_type_article', ['companyId', 'articleTypeId', 'articleId'], {
  unique: true,
})
export class Article {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'company_id', type: 'varchar', length: 36 })
  companyId: string;

  @Column({ name: 'article_type_id', type: 'int' })
  articleTypeId: number;

  /** The company's own article id, as sent in ArticleToCreate.ArticleId. */
  @Column({ name: 'article_id', type: 'int' })
  articleId: number;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @OneToMany(() => ArticlePrice, (price) => price.article)
  prices: Relation<ArticlePrice>[];
}
