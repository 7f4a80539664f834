import { Docs } from '../../swagger/docs.js';

/**
 * All eight fields are always present; those without a value are null, so typed clients bind.
 * The seed marks none of them IsRequired, so neither does the OpenAPI document.
 */
export class StripeCheckoutQueryResponse {
  @Docs((s) =>
    s.ApiProperty({
      required: false,
      description: 'The checkout session id',
      type: String,
      nullable: true,
    }),
  )
  SessionId: string | null;

  @Docs((s) =>
    s.ApiProperty({
      required: false,
      description: 'The url for checkout module to be placed in a iframe',
      type: String,
      nullable: true,
    }),
  )
  Url: string | null;

  @Docs((s) =>
    s.ApiProperty({
      required: false,
      description: 'The checkout status',
      type: String,
      nullable: true,
    }),
  )
  Status: string | null;

  @Docs((s) =>
    s.ApiProperty({
      required: false,
      description: 'Client secret to be used when initializing Stripe.js embedded checkout.',
      type: String,
      nullable: true,
    }),
  )
  ClientSecret: string | null;

  @Docs((s) =>
    s.ApiProperty({
      required: false,
      description:
        '(ID of the Customer) The ID of the customer for this Session. For Checkout Sessions in subscription mode or Checkout Sessions with customer_creation set as always in payment mode, Checkout will create a new customer object based on information provided during the payment flow unless an existing customer was provided when the Session was created.',
      type: String,
      nullable: true,
    }),
  )
  CustomerId: string | null;

  @Docs((s) =>
    s.ApiProperty({
      required: false,
      description:
        'The client secret of this PaymentIntent. Used for client-side retrieval using a publishable key. The client secret can be used to complete a payment from your frontend. It should not be stored, logged, or exposed to anyone other than the customer. Make sure that you have TLS enabled on any page that includes the client secret. Refer to our docs to accept a payment   and learn about how client_secret should be handled.',
      type: String,
      nullable: true,
    }),
  )
  PaymentIntentClientSecret: string | null;

  @Docs((s) => s.ApiProperty({ required: false, type: String, nullable: true }))
  PaymentIntentId: string | null;

  @Docs((s) => s.ApiProperty({ required: false, type: String, nullable: true }))
  StripeAccount: string | null;
}
