import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { IsWellFormedText } from '../../common/well-formed-text.js';
import { CompanyIdProperty } from './shared-properties.js';

export class GetStripeCheckoutV1CheckoutStatus {
  @CompanyIdProperty()
  CompanyId: string;

  @ApiProperty({ description: 'The checkout session id', required: true, example: 'cs_test_...' })
  @IsString()
  @Length(1, 255)
  @IsWellFormedText()
  SessionId: string;
}

export class StripeCheckoutStatusQueryResponse {
  @ApiProperty({
    required: false,
    description: "The customer's email, once Checkout collected it",
    type: String,
    nullable: true,
  })
  CustomerEmail: string | null;

  @ApiProperty({
    required: false,
    description: 'The checkout status',
    type: String,
    nullable: true,
  })
  Status: string | null;
}
