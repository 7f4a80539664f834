import { Inject, Injectable } from '@nestjs/common';
import { PaymentsDb } from '../database/payments-db.js';
import { Company } from '../entities/index.js';
import { TtlCache } from '../common/ttl-cache.js';
import { PaymentsException } from '../errors/payments.exception.js';
import { PAYMENTS_OPTIONS } from '../payments.module-definition.js';
import type { PaymentsModuleOptions } from '../payments.options.js';

export type CheckoutCompany = Company & { stripeAccountId: string };

@Injectable()
export class CompanyService {
  private readonly cache: TtlCache<Company | null>;

  constructor(
    private readonly db: PaymentsDb,
    @Inject(PAYMENTS_OPTIONS) options: PaymentsModuleOptions,
  ) {
    this.cache = new TtlCache(options.settingsCacheTtlMs ?? 10_000);
  }

  /** Makes a change to a company's settings visible at once on this instance. */
  invalidate(companyId?: string): void {
    this.cache.invalidate(companyId);
  }

  /** The company, when it exists. */
  async existing(companyId: string): Promise<Company> {
    const company = await this.cache.get(companyId, () =>
      this.db.run((m) => m.getRepository(Company).findOne({ where: { id: companyId } })),
    );
    if (!company) {
      throw PaymentsException.field(
        'CompanyNotFound',
        'CompanyId',
        `Company ${companyId} does not exist`,
      );
    }
    return company;
  }

  /** The company, when it exists and has Stripe Checkout 1.0 settings with a connected account. */
  async checkoutCompany(companyId: string): Promise<CheckoutCompany> {
    const company = await this.existing(companyId);
    if (!company.stripeCheckoutEnabled || !company.stripeAccountId) {
      throw PaymentsException.field(
        'StripeCheckoutNotConfigured',
        'CompanyId',
        'The company has no settings for Stripe Checkout 1.0 (enabled, with a connected Stripe account)',
      );
    }
    return company as CheckoutCompany;
  }
}
