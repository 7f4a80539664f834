import { applyDecorators } from '@nestjs/common';
import { IsNotEmpty, IsString, IsUUID, Length } from 'class-validator';
import { IsWellFormedText } from '../../common/well-formed-text.js';
import { Docs } from '../../swagger/docs.js';

const DEMO_COMPANY = '3fa85f64-5717-4562-b3fc-2c963f66afa6';

/** `CompanyId` as every request DTO of the seed has it. */
export const CompanyIdProperty = () =>
  applyDecorators(
    Docs((s) =>
      s.ApiProperty({
        description: 'The company id.',
        required: true,
        format: 'uuid',
        example: DEMO_COMPANY,
      }),
    ),
    IsNotEmpty(),
    IsUUID('all'),
    IsWellFormedText(),
  );

/** `InternalReferenceId`: the payable entity, 1..100 characters. */
export const InternalReferenceIdProperty = () =>
  applyDecorators(
    Docs((s) =>
      s.ApiProperty({
        description: 'An internal reference id (Could be booking, rebate code etc.)',
        required: true,
        minLength: 1,
        maxLength: 100,
        example: 'booking-1001',
      }),
    ),
    IsString(),
    Length(1, 100),
    IsWellFormedText(),
  );
