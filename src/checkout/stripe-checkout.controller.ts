import { Body, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { PaymentsApi } from '../payments-api.decorator.js';
import { CheckoutService } from './checkout.service.js';
import {
  GetStripeCheckoutV1CheckoutStatus,
  StripeCheckoutStatusQueryResponse,
} from './dto/get-stripe-checkout-v1-checkout-status.dto.js';
import { GetStripeV1Checkout } from './dto/get-stripe-v1-checkout.dto.js';
import { StripeCheckoutQueryResponse } from './dto/stripe-checkout-query-response.dto.js';
import { StripeV1CreateCheckout } from './dto/stripe-v1-create-checkout.dto.js';

@PaymentsApi('payment/stripe/v1/checkout')
export class StripeCheckoutController {
  constructor(private readonly checkouts: CheckoutService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'StripeV1CreateCheckout',
    summary: 'Create Stripe checkout (requires settings for Stripe Checkout 1.0)',
    description:
      'Create an checkout for Payable entity. Note if existing checkouts already exists, it will invalidate those.',
  })
  @ApiOkResponse({ type: StripeCheckoutQueryResponse, description: 'The new checkout session' })
  create(@Body() request: StripeV1CreateCheckout): Promise<StripeCheckoutQueryResponse> {
    return this.checkouts.create(request);
  }

  @Get()
  @ApiOperation({
    operationId: 'GetStripeV1Checkout',
    summary: "The payable's current checkout, refreshed from Stripe",
  })
  @ApiOkResponse({
    type: StripeCheckoutQueryResponse,
    description: 'The current checkout session of the payable',
  })
  current(@Query() query: GetStripeV1Checkout): Promise<StripeCheckoutQueryResponse> {
    return this.checkouts.current(query);
  }

  @Post('status')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'GetStripeCheckoutV1CheckoutStatus',
    summary: 'The status and customer email of a checkout session',
  })
  @ApiOkResponse({
    type: StripeCheckoutStatusQueryResponse,
    description: 'The status of the checkout session',
  })
  status(
    @Body() request: GetStripeCheckoutV1CheckoutStatus,
  ): Promise<StripeCheckoutStatusQueryResponse> {
    return this.checkouts.status(request);
  }
}
