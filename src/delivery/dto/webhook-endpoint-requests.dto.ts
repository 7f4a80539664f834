import {
  IsBoolean,
  IsISO8601,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsUUID,
  Max,
  Min,
} from 'class-validator';
import { CompanyIdProperty } from '../../checkout/dto/shared-properties.js';
import { Docs } from '../../swagger/docs.js';
import {
  DescriptionProperty,
  DisabledProperty,
  EndpointIdProperty,
  EventTypesProperty,
  UrlProperty,
} from './webhook-properties.js';

/** BokaMera's `CreateWebhookEndpoint`. */
export class CreateWebhookEndpoint {
  @CompanyIdProperty()
  CompanyId: string;

  @UrlProperty(true)
  Url: string;

  @EventTypesProperty(true)
  EventTypes: string[];

  @DescriptionProperty()
  Description?: string;

  @DisabledProperty()
  Disabled?: boolean;
}

export class ListWebhookEndpoints {
  @CompanyIdProperty()
  CompanyId: string;
}

export class GetWebhookEndpoint {
  @CompanyIdProperty()
  CompanyId: string;

  @EndpointIdProperty()
  Id: string;

  @Docs((s) => s.ApiProperty({ description: 'Also return the signing secret.', required: false }))
  @IsOptional()
  @IsBoolean()
  IncludeSecret?: boolean;
}

export class UpdateWebhookEndpoint {
  @CompanyIdProperty()
  CompanyId: string;

  @EndpointIdProperty()
  Id: string;

  @UrlProperty(false)
  Url?: string;

  @EventTypesProperty(false)
  EventTypes?: string[];

  @DescriptionProperty()
  Description?: string;

  @DisabledProperty()
  Disabled?: boolean;
}

export class DeleteWebhookEndpoint {
  @CompanyIdProperty()
  CompanyId: string;

  @EndpointIdProperty()
  Id: string;
}

export class RotateWebhookEndpointSecret {
  @CompanyIdProperty()
  CompanyId: string;

  @EndpointIdProperty()
  Id: string;
}

export class ListWebhookEndpointAttempts {
  @CompanyIdProperty()
  CompanyId: string;

  @EndpointIdProperty()
  Id: string;

  @Docs((s) =>
    s.ApiProperty({
      description: 'At most this many, newest first; default 50.',
      required: false,
      minimum: 1,
      maximum: 100,
    }),
  )
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  Take?: number;
}

export class ResendWebhookEvent {
  @CompanyIdProperty()
  CompanyId: string;

  @EndpointIdProperty()
  Id: string;

  @Docs((s) => s.ApiProperty({ description: 'The event to send again now.', format: 'uuid' }))
  @IsNotEmpty()
  @IsUUID('all')
  EventId: string;
}

export class RecoverWebhookEndpoint {
  @CompanyIdProperty()
  CompanyId: string;

  @EndpointIdProperty()
  Id: string;

  @Docs((s) =>
    s.ApiProperty({
      description:
        'Every delivery to the endpoint given up since this time (ISO 8601) is sent again.',
      example: '2026-01-01T00:00:00Z',
    }),
  )
  @IsNotEmpty()
  @IsISO8601({ strict: true })
  Since: string;
}
