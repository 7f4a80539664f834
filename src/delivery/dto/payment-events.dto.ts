import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { CompanyIdProperty } from '../../checkout/dto/shared-properties.js';
import type { PaymentEventData } from '../../events/payment-event.js';
import { PAYMENT_EVENT_TYPES } from '../../events/payment-event.js';
import { Docs } from '../../swagger/docs.js';

/** `GET /payment/events`: a company's events in order, for receivers that poll or catch up. */
export class GetPaymentEvents {
  @CompanyIdProperty()
  CompanyId: string;

  @Docs((s) =>
    s.ApiProperty({
      description: 'The `Next` of the previous page; none for the first event.',
      required: false,
      example: '0',
    }),
  )
  @IsOptional()
  @Matches(/^\d{1,15}$/, { message: 'After must be a cursor from Next' })
  After?: string;

  @Docs((s) =>
    s.ApiProperty({
      description: 'Page size; default 100.',
      required: false,
      minimum: 1,
      maximum: 500,
    }),
  )
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(500)
  Take?: number;
}

export class PaymentEventMessage {
  @Docs((s) => s.ApiProperty({ description: 'Stable and unique: the same on every delivery.' }))
  Id: string;

  @Docs((s) => s.ApiProperty({ enum: PAYMENT_EVENT_TYPES }))
  Type: string;

  @Docs((s) => s.ApiProperty({ description: 'ISO 8601, UTC.' }))
  CreatedAt: string;

  @Docs((s) => s.ApiProperty())
  CompanyId: string;

  @Docs((s) => s.ApiProperty())
  InternalReferenceId: string;

  @Docs((s) => s.ApiProperty({ description: '1, 2, 3, ... per payable, in order of its changes.' }))
  Sequence: number;

  @Docs((s) =>
    s.ApiProperty({
      description:
        'CheckoutId, SessionId, PaymentIntentId, AmountTotal (minor units), Currency, CustomerEmail, Reason.',
      type: Object,
    }),
  )
  Data: PaymentEventData;
}

export class PaymentEventsResponse {
  @Docs((s) => s.ApiProperty({ type: [PaymentEventMessage] }))
  Events: PaymentEventMessage[];

  @Docs((s) => s.ApiProperty({ description: 'Pass as After for the events after these.' }))
  Next: string;
}
