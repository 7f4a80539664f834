import { Get, HttpCode, Post } from '@nestjs/common';
import { PaymentsApi } from '../payments-api.decorator.js';
import { OperationRequest } from '../servicestack/operation-request.js';
import { CheckoutService } from './checkout.service.js';
import {
  GetStripeCheckoutV1CheckoutStatus,
  StripeCheckoutStatusQueryResponse,
} from './dto/get-stripe-checkout-v1-checkout-status.dto.js';
import { GetStripeV1Checkout } from './dto/get-stripe-v1-checkout.dto.js';
import { StripeCheckoutQueryResponse } from './dto/stripe-checkout-query-response.dto.js';
import { StripeV1CreateCheckout } from './dto/stripe-v1-create-checkout.dto.js';
import { Docs } from '../swagger/docs.js';

@PaymentsApi('payment/stripe/v1/checkout')
export class StripeCheckoutController {
  constructor(private readonly checkouts: CheckoutService) {}

  @Post()
  @HttpCode(200)
  @Docs((s) =>
    s.ApiOperation({
      operationId: 'StripeV1CreateCheckout',
      summary: 'Create Stripe checkout (requires settings for Stripe Checkout 1.0)',
      description:
        'Create an checkout for Payable entity. Note if existing checkouts already exists, it will invalidate those.',
    }),
  )
  @Docs((s) =>
    s.ApiOkResponse({ type: StripeCheckoutQueryResponse, description: 'The new checkout session' }),
  )
  @Docs((s) => s.ApiBody({ type: StripeV1CreateCheckout }))
  create(
    @OperationRequest() request: StripeV1CreateCheckout,
  ): Promise<StripeCheckoutQueryResponse> {
    return this.checkouts.create(request);
  }

  @Get()
  @Docs((s) =>
    s.ApiOperation({
      operationId: 'GetStripeV1Checkout',
      summary: "The payable's current checkout, refreshed from Stripe",
    }),
  )
  @Docs((s) =>
    s.ApiOkResponse({
      type: StripeCheckoutQueryResponse,
      description: 'The current checkout session of the payable',
    }),
  )
  @Docs((s) => s.ApiQuery({ type: GetStripeV1Checkout }))
  current(@OperationRequest() query: GetStripeV1Checkout): Promise<StripeCheckoutQueryResponse> {
    return this.checkouts.current(query);
  }

  @Post('status')
  @HttpCode(200)
  @Docs((s) =>
    s.ApiOperation({
      operationId: 'GetStripeCheckoutV1CheckoutStatus',
      summary: 'The status and customer email of a checkout session',
    }),
  )
  @Docs((s) =>
    s.ApiOkResponse({
      type: StripeCheckoutStatusQueryResponse,
      description: 'The status of the checkout session',
    }),
  )
  @Docs((s) => s.ApiBody({ type: GetStripeCheckoutV1CheckoutStatus }))
  status(
    @OperationRequest() request: GetStripeCheckoutV1CheckoutStatus,
  ): Promise<StripeCheckoutStatusQueryResponse> {
    return this.checkouts.status(request);
  }
}
