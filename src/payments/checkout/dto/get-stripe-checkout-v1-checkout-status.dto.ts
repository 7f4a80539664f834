import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, IsUUID, Length } from 'class-validator';

export class GetStripeCheckoutV1CheckoutStatus {
  @ApiProperty({
    description: 'The company id.',
    required: true,
    format: 'uuid',
    example: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
  })
  @IsNotEmpty()
  @IsUUID('all')
  CompanyId: string;

  @ApiProperty({ description: 'The checkout session id', required: true, example: 'cs_test_...' })
  @IsString()
  @Length(1, 255)
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
