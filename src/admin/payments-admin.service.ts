import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { ApiKeyService, hashApiKey } from '../auth/api-key.service.js';
import { CompanyService } from '../companies/company.service.js';
import { PaymentsDb } from '../database/payments-db.js';
import { ApiKey, Article, ArticlePrice, Company } from '../entities/index.js';
import { PaymentsException } from '../errors/payments.exception.js';
import { PricingService } from '../pricing/pricing.service.js';
import {
  checkApiKey,
  checkArticle,
  checkCompany,
  vatBasisPoints,
  type ApiKeyInput,
  type ArticleInput,
  type CompanyInput,
} from './admin-input.js';

/**
 * How a host sets up companies, their articles and prices, and API keys from code. A change is
 * visible at once on this instance and within `settingsCacheTtlMs` on the others.
 */
@Injectable()
export class PaymentsAdminService {
  constructor(
    private readonly db: PaymentsDb,
    private readonly companies: CompanyService,
    private readonly pricing: PricingService,
    private readonly apiKeys: ApiKeyService,
  ) {}

  async upsertCompany(input: CompanyInput): Promise<void> {
    checkCompany(input);
    const now = new Date();
    const settings = {
      name: input.name,
      stripeCheckoutEnabled: input.checkoutEnabled,
      stripeAccountId: input.stripeAccountId,
      defaultCurrency: input.currency.toUpperCase(),
      defaultConfirmationUrl: input.defaultConfirmationUrl ?? null,
      defaultCancelUrl: input.defaultCancelUrl ?? null,
      redirectHostAllowlist: input.redirectHostAllowlist?.map((host) => host.toLowerCase()) ?? null,
      sessionLifetimeMinutes: input.sessionLifetimeMinutes ?? 60,
      updatedAt: now,
    };
    await this.db.transaction(async (m) => {
      const companies = m.getRepository(Company);
      if (await companies.existsBy({ id: input.id }))
        await companies.update({ id: input.id }, settings);
      else await companies.insert({ id: input.id, ...settings, createdAt: now });
    });
    this.companies.invalidate(input.id);
  }

  /** Creates or updates an article; its prices are replaced by the given ones. */
  async upsertArticle(input: ArticleInput): Promise<void> {
    checkArticle(input);
    await this.db.transaction(async (m) => {
      await this.requireCompany(m, input.companyId);
      const key = {
        companyId: input.companyId,
        articleTypeId: input.articleTypeId,
        articleId: input.articleId,
      };
      const articles = m.getRepository(Article);
      const existing = await articles.findOneBy(key);
      const articleRef =
        existing?.id ??
        ((await articles.insert({ ...key, name: input.name, active: input.active })).identifiers[0]
          .id as number);
      if (existing)
        await articles.update({ id: articleRef }, { name: input.name, active: input.active });
      const prices = m.getRepository(ArticlePrice);
      await prices.delete({ articleRef });
      await prices.insert(
        input.prices.map((price) => ({
          articleRef,
          countryCode: price.countryCode?.toUpperCase() ?? null,
          currency: price.currency.toUpperCase(),
          unitAmount: price.unitAmount,
          vatBasisPoints: vatBasisPoints(price.vatPercent),
        })),
      );
    });
    this.pricing.invalidate();
  }

  /**
   * A new API key, returned this once: only its SHA-256 is stored. An imported `key` that exists
   * already (for the same company) is switched on again instead.
   */
  async createApiKey(input: ApiKeyInput): Promise<{ Key: string }> {
    checkApiKey(input);
    const key = input.key ?? `bkp_${randomBytes(32).toString('base64url')}`;
    const keyHash = hashApiKey(key);
    await this.db.transaction(async (m) => {
      if (input.companyId !== null) await this.requireCompany(m, input.companyId);
      const keys = m.getRepository(ApiKey);
      const existing = await keys.findOneBy({ keyHash });
      if (existing && existing.companyId !== input.companyId) {
        throw PaymentsException.field(
          'ValidationException',
          'key',
          'key belongs to another company',
        );
      }
      if (existing) await keys.update({ id: existing.id }, { name: input.name, active: true });
      else {
        await keys.insert({
          keyHash,
          name: input.name,
          companyId: input.companyId,
          active: true,
          createdAt: new Date(),
        });
      }
    });
    this.apiKeys.invalidate();
    return { Key: key };
  }

  /** The key stops working at once here, and within the cache TTL elsewhere; false if it was not active. */
  async revokeApiKey(key: string): Promise<boolean> {
    const { affected } = await this.db.run((m) =>
      m.getRepository(ApiKey).update({ keyHash: hashApiKey(key), active: true }, { active: false }),
    );
    this.apiKeys.invalidate();
    return (affected ?? 0) > 0;
  }

  hasCompany(id: string): Promise<boolean> {
    return this.db.run((m) => m.getRepository(Company).existsBy({ id }));
  }

  private async requireCompany(manager: EntityManager, companyId: string): Promise<void> {
    if (!(await manager.getRepository(Company).existsBy({ id: companyId }))) {
      throw PaymentsException.field(
        'CompanyNotFound',
        'companyId',
        `Company ${companyId} does not exist`,
      );
    }
  }
}
