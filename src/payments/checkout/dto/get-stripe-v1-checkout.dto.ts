import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, IsUUID, Length } from 'class-validator';

/** GET /payment/stripe/v1/checkout: the payable's current checkout. */
export class GetStripeV1Checkout {
  @ApiProperty({
    description: 'The company id.',
    required: true,
    format: 'uuid',
    example: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
  })
  @IsNotEmpty()
  @IsUUID('all')
  CompanyId: string;

  @ApiProperty({
    description: 'An internal reference id (Could be booking, rebate code etc.)',
    required: true,
    example: 'booking-1001',
  })
  @IsString()
  @Length(1, 100)
  InternalReferenceId: string;
}
