/* Request and response DTOs as ServiceStack's TypeScript generator writes them (`/types/typescript`
   of a ServiceStack host), for the e2e suites that drive the real `@servicestack/client`. */
import type { IReturn } from '@servicestack/client';

export interface ICompany {
  CompanyId?: string;
}

export class StripeCheckoutQueryResponse {
  /** @description The checkout session id */
  // @ApiMember(Description="The checkout session id")
  public SessionId: string;

  /** @description The url for checkout module to be placed in a iframe */
  // @ApiMember(Description="The url for checkout module to be placed in a iframe")
  public Url: string;

  /** @description The checkout status */
  // @ApiMember(Description="The checkout status")
  public Status: string;

  /** @description Client secret to be used when initializing Stripe.js embedded checkout. */
  // @ApiMember(Description="Client secret to be used when initializing Stripe.js embedded checkout.")
  public ClientSecret: string;

  public CustomerId: string;
  public PaymentIntentClientSecret: string;
  public PaymentIntentId: string;
  public StripeAccount: string;

  public constructor(init?: Partial<StripeCheckoutQueryResponse>) {
    Object.assign(this, init);
  }
}

export class StripeCheckoutStatusQueryResponse {
  public CustomerEmail: string;
  public Status: string;

  public constructor(init?: Partial<StripeCheckoutStatusQueryResponse>) {
    Object.assign(this, init);
  }
}

export class ArticleToCreate {
  public ArticleId: number;
  public ArticleTypeId: number;
  public Quantity: number;

  public constructor(init?: Partial<ArticleToCreate>) {
    Object.assign(this, init);
  }
}

/** @description Create an checkout for Payable entity. Note if existing checkouts already exists, it will invalidate those. */
// @Route("/payment/stripe/v1/checkout", "POST")
// @Api(Description="Create Stripe checkout (requires settings for Stripe Checkout 1.0)")
export class StripeV1CreateCheckout implements IReturn<StripeCheckoutQueryResponse>, ICompany {
  /** @description The company id. */
  // @ApiMember(Description="The company id.", IsRequired=true)
  public CompanyId?: string;

  /** @description Country code for checkout */
  // @ApiMember(Description="Country code for checkout", IsRequired=true)
  public CountryCode: string;

  /** @description Articles (Could be Service, rebate code types, etc.. */
  // @ApiMember(Description="Articles (Could be Service, rebate code types, etc..", IsRequired=true)
  public Articles: ArticleToCreate[];

  /** @description An internal reference id (Could be booking, rebate code etc.) */
  // @ApiMember(Description="An internal reference id (Could be booking, rebate code etc.)", IsRequired=true)
  public InternalReferenceId: string;

  /** @description Optional to set your own confirmation url after payment completed. */
  // @ApiMember(Description="Optional to set your own confirmation url after payment completed.")
  public ConfirmationUrl: string;

  // @ApiMember(Description="If set, Checkout displays a back button and customers will be directed to this URL if they decide to cancel payment and return to your website. This parameter is not allowed if ui_mode is <c>embedded</c>.")
  public CancelUrl: string;

  // @ApiMember(Description="The UI mode of the Session. Defaults to <c>hosted</c>; One of: <c>embedded</c>, or <c>hosted</c>", IsRequired=true)
  public UiMode: string;

  public constructor(init?: Partial<StripeV1CreateCheckout>) {
    Object.assign(this, init);
  }
  public getTypeName() {
    return 'StripeV1CreateCheckout';
  }
  public getMethod() {
    return 'POST';
  }
  public createResponse() {
    return new StripeCheckoutQueryResponse();
  }
}

// @Route("/payment/stripe/v1/checkout", "GET")
export class GetStripeV1Checkout implements IReturn<StripeCheckoutQueryResponse>, ICompany {
  public CompanyId?: string;
  public InternalReferenceId: string;

  public constructor(init?: Partial<GetStripeV1Checkout>) {
    Object.assign(this, init);
  }
  public getTypeName() {
    return 'GetStripeV1Checkout';
  }
  public getMethod() {
    return 'GET';
  }
  public createResponse() {
    return new StripeCheckoutQueryResponse();
  }
}

// @Route("/payment/stripe/v1/checkout/status", "POST")
export class GetStripeCheckoutV1CheckoutStatus
  implements IReturn<StripeCheckoutStatusQueryResponse>, ICompany
{
  public CompanyId?: string;
  public SessionId: string;

  public constructor(init?: Partial<GetStripeCheckoutV1CheckoutStatus>) {
    Object.assign(this, init);
  }
  public getTypeName() {
    return 'GetStripeCheckoutV1CheckoutStatus';
  }
  public getMethod() {
    return 'POST';
  }
  public createResponse() {
    return new StripeCheckoutStatusQueryResponse();
  }
}
