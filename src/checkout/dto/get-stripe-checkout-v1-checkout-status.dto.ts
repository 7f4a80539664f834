import { IsString, Length } from 'class-validator';
import { IsWellFormedText } from '../../common/well-formed-text.js';
import { CompanyIdProperty } from './shared-properties.js';
import { Docs } from '../../swagger/docs.js';

export class GetStripeCheckoutV1CheckoutStatus {
  @CompanyIdProperty()
  CompanyId: string;

  @Docs((s) =>
    s.ApiProperty({
      description: 'The checkout session id',
      required: true,
      example: 'cs_test_...',
    }),
  )
  @IsString()
  @Length(1, 255)
  @IsWellFormedText()
  SessionId: string;
}

export class StripeCheckoutStatusQueryResponse {
  @Docs((s) =>
    s.ApiProperty({
      required: false,
      description: "The customer's email, once Checkout collected it",
      type: String,
      nullable: true,
    }),
  )
  CustomerEmail: string | null;

  @Docs((s) =>
    s.ApiProperty({
      required: false,
      description: 'The checkout status',
      type: String,
      nullable: true,
    }),
  )
  Status: string | null;
}
