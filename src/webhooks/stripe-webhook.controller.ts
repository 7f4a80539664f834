import { Controller, Headers, HttpCode, Post, Req, UseFilters } from '@nestjs/common';
import { PaymentsExceptionFilter } from '../errors/payments-exception.filter.js';
import { PaymentsException } from '../errors/payments.exception.js';
import { StripeWebhookService } from './stripe-webhook.service.js';
import { Docs } from '../swagger/docs.js';

/** Authenticated by Stripe's signature alone; needs the raw body (Nest `rawBody: true`). */
@UseFilters(PaymentsExceptionFilter)
@Controller('payment/stripe/v1/webhook')
export class StripeWebhookController {
  constructor(private readonly webhooks: StripeWebhookService) {}

  @Post()
  @HttpCode(200)
  @Docs((s) => s.ApiExcludeEndpoint())
  async receive(
    @Req() request: { rawBody?: Buffer },
    @Headers('stripe-signature') signature: string | undefined,
  ): Promise<{ received: true; outcome: string }> {
    if (!request.rawBody) {
      throw new PaymentsException(
        'InvalidSignature',
        'The raw request body is not available: create the Nest app with { rawBody: true }',
      );
    }
    const outcome = await this.webhooks.handle(request.rawBody, signature);
    return { received: true, outcome };
  }
}
