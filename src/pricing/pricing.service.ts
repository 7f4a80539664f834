import { Inject, Injectable } from '@nestjs/common';
import { TtlCache } from '../common/ttl-cache.js';
import { PaymentsDb } from '../database/payments-db.js';
import { Article, ArticlePrice, type LineItemSnapshot } from '../entities/index.js';
import { PaymentsException } from '../errors/payments.exception.js';
import { PAYMENTS_OPTIONS } from '../payments.module-definition.js';
import type { PaymentsModuleOptions } from '../payments.options.js';
import { cartTotal } from './cart-total.js';

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
  /** Per company and country: the price of each article, keyed `type:article`. */
  private readonly catalogs: TtlCache<Map<string, PriceRow>>;

  constructor(
    private readonly db: PaymentsDb,
    @Inject(PAYMENTS_OPTIONS) options: PaymentsModuleOptions,
  ) {
    this.catalogs = new TtlCache(options.settingsCacheTtlMs ?? 10_000);
  }

  /** Makes a price change visible at once on this instance. */
  invalidate(): void {
    this.catalogs.invalidate();
  }

  async price(
    companyId: string,
    countryCode: string,
    articles: ArticleRequest[],
  ): Promise<PricedCart> {
    const catalog = await this.catalogs.get(`${companyId}:${countryCode}`, () =>
      this.loadCatalog(companyId, countryCode),
    );
    const lineItems = articles.map((article, index) => {
      const row = catalog.get(`${article.ArticleTypeId}:${article.ArticleId}`);
      if (!row || !row.active) {
        throw PaymentsException.field(
          'ArticleNotFound',
          `Articles[${index}].ArticleId`,
          `Article ${article.ArticleId} of type ${article.ArticleTypeId} does not exist for this company or is not active`,
        );
      }
      return {
        articleId: Number(row.articleId),
        articleTypeId: Number(row.articleTypeId),
        name: row.name,
        quantity: article.Quantity,
        unitAmount: Number(row.unitAmount),
        vatBasisPoints: Number(row.vatBasisPoints),
        currency: row.currency.toLowerCase(),
      };
    });
    const currency = lineItems[0].currency;
    const mixed = lineItems.findIndex((item) => item.currency !== currency);
    if (mixed >= 0) {
      throw PaymentsException.field(
        'PriceNotFound',
        `Articles[${mixed}].ArticleId`,
        'All articles of one checkout must be priced in the same currency',
      );
    }
    const snapshot = lineItems.map(({ currency: _currency, ...item }) => item);
    const amountTotal = cartTotal(snapshot, currency);
    return { currency, amountTotal, lineItems: snapshot };
  }

  /** One query for every article of the company: no lookup per requested article. */
  private async loadCatalog(
    companyId: string,
    countryCode: string,
  ): Promise<Map<string, PriceRow>> {
    const rows: PriceRow[] = await this.db.run((m) =>
      m
        .createQueryBuilder()
        .select('a.article_type_id', 'articleTypeId')
        .addSelect('a.article_id', 'articleId')
        .addSelect('a.name', 'name')
        .addSelect('a.active', 'active')
        .addSelect('p.country_code', 'countryCode')
        .addSelect('p.currency', 'currency')
        .addSelect('p.unit_amount', 'unitAmount')
        .addSelect('p.vat_basis_points', 'vatBasisPoints')
        .from(Article, 'a')
        .innerJoin(ArticlePrice, 'p', 'p.article_ref = a.id')
        .where('a.company_id = :companyId', { companyId })
        .andWhere('(p.country_code = :countryCode OR p.country_code IS NULL)', { countryCode })
        .getRawMany(),
    );
    const catalog = new Map<string, PriceRow>();
    for (const row of rows) {
      const key = `${row.articleTypeId}:${row.articleId}`;
      const known = catalog.get(key);
      if (!known || (known.countryCode === null && row.countryCode !== null)) catalog.set(key, row);
    }
    return catalog;
  }
}
