import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { Company } from '../entities/index.js';
import { PaymentsException } from '../errors/payments.exception.js';

export type CheckoutCompany = Company & { stripeAccountId: string };

@Injectable()
export class CompanyService {
  constructor(@InjectRepository(Company) private readonly companies: Repository<Company>) {}

  /** The company, when it exists and has Stripe Checkout 1.0 settings with a connected account. */
  async checkoutCompany(companyId: string): Promise<CheckoutCompany> {
    const company = await this.companies.findOne({ where: { id: companyId } });
    if (!company) {
      throw PaymentsException.field(
        'CompanyNotFound',
        'CompanyId',
        `Company ${companyId} does not exist`,
      );
    }
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
