import { applyDecorators } from '@nestjs/common';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import { IsWellFormedText } from '../../common/well-formed-text.js';
import { PAYMENT_EVENT_TYPES } from '../../events/payment-event.js';
import { Docs } from '../../swagger/docs.js';

export const SUBSCRIBABLE_TYPES = [...PAYMENT_EVENT_TYPES, '*'];

/**
 * The endpoint `{Id}` of the route (or a field of the request on the predefined routes): the
 * OpenAPI document has it as the path parameter (`EndpointIdParam`), not as a body or query field.
 */
export const EndpointIdProperty = () =>
  applyDecorators(
    Docs((s) => s.ApiHideProperty()),
    IsNotEmpty(),
    IsUUID('all'),
  );

export const UrlProperty = (required: boolean) =>
  applyDecorators(
    Docs((s) =>
      s.ApiProperty({
        description:
          'Where events are POSTed: https, a public host (plain http to localhost outside production).',
        required,
        maxLength: 2048,
        example: 'https://booking.example.com/payments/webhook',
      }),
    ),
    ...(required ? [IsNotEmpty()] : [IsOptional()]),
    IsString(),
    MaxLength(2048),
    IsWellFormedText(),
  );

export const EventTypesProperty = (required: boolean) =>
  applyDecorators(
    Docs((s) =>
      s.ApiProperty({
        description: `The event types sent to the endpoint, at least one: ${SUBSCRIBABLE_TYPES.join(', ')} (\`*\`: all).`,
        required,
        type: [String],
        enum: SUBSCRIBABLE_TYPES,
        example: ['payable.paid', 'checkout.expired'],
      }),
    ),
    ...(required ? [] : [IsOptional()]),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(SUBSCRIBABLE_TYPES.length),
    IsIn(SUBSCRIBABLE_TYPES, { each: true }),
  );

export const DescriptionProperty = () =>
  applyDecorators(
    Docs((s) =>
      s.ApiProperty({ description: 'What the endpoint is for.', required: false, maxLength: 500 }),
    ),
    IsOptional(),
    IsString(),
    MaxLength(500),
    IsWellFormedText(),
  );

export const DisabledProperty = () =>
  applyDecorators(
    Docs((s) =>
      s.ApiProperty({ description: 'No events are sent while disabled.', required: false }),
    ),
    IsOptional(),
    IsBoolean(),
  );

export const EndpointIdParam = () =>
  Docs((s) => s.ApiParam({ name: 'Id', description: 'The webhook endpoint id.', format: 'uuid' }));
