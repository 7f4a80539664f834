import { CompanyIdProperty, InternalReferenceIdProperty } from './shared-properties.js';

/** GET /payment/stripe/v1/checkout: the payable's current checkout. */
export class GetStripeV1Checkout {
  @CompanyIdProperty()
  CompanyId: string;

  @InternalReferenceIdProperty()
  InternalReferenceId: string;
}
