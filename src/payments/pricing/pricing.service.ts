import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { PaymentsException } from '../errors/payments.exception.js';
import type { LineItemSnapshot } from '../entities/index.js';

export interface ArticleRequest {
  ArticleId: number;
  ArticleTypeId: number;
  Quantity: number;
}

export interface PricedCart {
  currency: string;
  amountTotal: number;
  lineItems: LineItemSnapshot[];
}

interface PriceRow {
  articleTypeId: number;
  articleId: number;
  name: string;
  active: number | boolean;
  countryCode: string | null;
  currency: string;
  unitAmount: number;
  vatBasisPoints: number;
}

/** Prices always come from our database: the country's price, else the article's default price. */
@Injectable()
export class PricingService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async price(
    companyId: string,
    countryCode: string,
    articles: ArticleRequest[],
  ): Promise<PricedCart> {
    const rows: PriceRow[] = await this.dataSource
      .createQueryBuilder()
      .select('a.article_type_id', 'articleTypeId')
      .addSelect('a.article_id', 'articleId')
      .addSelect('a.name', 'name')
      .addSelect('a.active', 'active')
      .addSelect('p.country_code', 'countryCode')
      .addSelect('p.currency', 'currency')
      .addSelect('p.unit_amount', 'unitAmount')
      .addSelect('p.vat_basis_points', 'vatBasisPoints')
      .from('articles', 'a')
      .innerJoin('article_prices', 'p', 'p.article_ref = a.id')
      .where('a.company_id = :companyId', { companyId })
      .andWhere('(p.country_code = :countryCode OR p.country_code IS NULL)', { countryCode })
      .getRawMany();
    const byArticle = new Map<string, PriceRow>();
    for (const row of rows) {
      const key = `${row.articleTypeId}:${row.articleId}`;
      const known = byArticle.get(key);
      if (!known || (known.countryCode === null && row.countryCode !== null))
        byArticle.set(key, row);
    }
    const lineItems = articles.map((article, index) => {
      const row = byArticle.get(`${article.ArticleTypeId}:${article.ArticleId}`);
      if (!row || !row.active) {
        throw PaymentsException.field(
          'ArticleNotFound',
          `Articles[${index}].ArticleId`,
          `Article ${article.ArticleId} of type ${article.ArticleTypeId} does not exist for this company or is not active`,
        );
      }
      return { row, quantity: article.Quantity };
    });
    const currency = lineItems[0].row.currency.toLowerCase();
    const mixed = lineItems.findIndex(({ row }) => row.currency.toLowerCase() !== currency);
    if (mixed >= 0) {
      throw PaymentsException.field(
        'PriceNotFound',
        `Articles[${mixed}].ArticleId`,
        'All articles of one checkout must be priced in the same currency',
      );
    }
    const snapshot = lineItems.map(({ row, quantity }) => ({
      articleId: Number(row.articleId),
      articleTypeId: Number(row.articleTypeId),
      name: row.name,
      quantity,
      unitAmount: Number(row.unitAmount),
      vatBasisPoints: Number(row.vatBasisPoints),
    }));
    const amountTotal = snapshot.reduce((sum, item) => sum + item.unitAmount * item.quantity, 0);
    return { currency, amountTotal, lineItems: snapshot };
  }
}
