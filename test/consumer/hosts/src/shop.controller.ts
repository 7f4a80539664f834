import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  CheckoutService,
  PaymentsAdminService,
  type StripeCheckoutQueryResponse,
} from 'bokamera-payments';
import { IsInt, Max, Min } from 'class-validator';
import { Repository } from 'typeorm';
import { HostCompany } from './host-company.entity.js';
import { HostSettings } from './host-settings.js';

/** A host request, validated by the host's own global ValidationPipe. */
class BookingCheckout {
  @IsInt()
  @Min(1)
  @Max(10)
  quantity: number;
}

const HAIRCUT = { articleId: 1, articleTypeId: 1 };

/** The host calls the payments module from code: setting it up, and checkouts for its bookings. */
@Controller()
export class ShopController {
  constructor(
    private readonly settings: HostSettings,
    private readonly admin: PaymentsAdminService,
    private readonly checkouts: CheckoutService,
    @InjectRepository(HostCompany) private readonly companies: Repository<HostCompany>,
  ) {}

  /** Registers the host's company, its article and price, and an API key for its clients. */
  @Post('payments/setup')
  async setUpPayments(): Promise<{ ApiKey: string }> {
    const company = await this.companies.findOneByOrFail({ id: 1 });
    const companyId = this.settings.paymentsCompanyId;
    await this.admin.upsertCompany({
      id: companyId,
      name: company.name,
      stripeAccountId: this.settings.stripeAccountId,
      currency: 'SEK',
      checkoutEnabled: true,
      defaultConfirmationUrl: 'https://host.example/booking/confirmed',
      defaultCancelUrl: 'https://host.example/booking/cancelled',
    });
    await this.admin.upsertArticle({
      companyId,
      ...HAIRCUT,
      name: 'Haircut',
      active: true,
      prices: [{ countryCode: null, currency: 'SEK', unitAmount: 45000, vatPercent: 25 }],
    });
    const { Key } = await this.admin.createApiKey({ companyId, name: 'host clients' });
    return { ApiKey: Key };
  }

  @Post('bookings/:bookingId/checkout')
  checkout(
    @Param('bookingId') bookingId: string,
    @Body() body: BookingCheckout,
  ): Promise<StripeCheckoutQueryResponse> {
    return this.checkouts.create({
      CompanyId: this.settings.paymentsCompanyId,
      CountryCode: 'SE',
      InternalReferenceId: bookingId,
      Articles: [
        {
          ArticleId: HAIRCUT.articleId,
          ArticleTypeId: HAIRCUT.articleTypeId,
          Quantity: body.quantity,
        },
      ],
    });
  }

  @Get('bookings/:bookingId/checkout')
  current(@Param('bookingId') bookingId: string): Promise<StripeCheckoutQueryResponse> {
    return this.checkouts.current({
      CompanyId: this.settings.paymentsCompanyId,
      InternalReferenceId: bookingId,
    });
  }
}
