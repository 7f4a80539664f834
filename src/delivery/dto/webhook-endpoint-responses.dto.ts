import { Docs } from '../../swagger/docs.js';

/** BokaMera's `WebhookEndpoint`; `Secret` only on create, rotate and `IncludeSecret=true`. */
export class WebhookEndpoint {
  @Docs((s) => s.ApiProperty({ format: 'uuid' }))
  Id: string;

  @Docs((s) => s.ApiProperty())
  Url: string;

  @Docs((s) => s.ApiProperty({ type: String, nullable: true }))
  Description: string | null;

  @Docs((s) => s.ApiProperty())
  Disabled: boolean;

  @Docs((s) => s.ApiProperty({ type: [String] }))
  EventTypes: string[];

  @Docs((s) =>
    s.ApiProperty({
      required: false,
      description:
        'whsec_<base64>: verify the webhook-signature header with it (Standard Webhooks).',
    }),
  )
  Secret?: string;
}

export class WebhookEndpointsResponse {
  @Docs((s) => s.ApiProperty({ type: [WebhookEndpoint] }))
  Results: WebhookEndpoint[];
}

export class WebhookAttemptResult {
  @Docs((s) => s.ApiProperty({ description: 'When the attempt started (ISO 8601).' }))
  AttemptedAt: string;

  @Docs((s) => s.ApiProperty({ format: 'uuid' }))
  EventId: string;

  @Docs((s) => s.ApiProperty())
  EventType: string;

  @Docs((s) => s.ApiProperty({ type: Number, nullable: true, description: 'Null: no answer.' }))
  StatusCode: number | null;

  @Docs((s) => s.ApiProperty())
  LatencyMs: number;

  @Docs((s) => s.ApiProperty({ type: String, nullable: true, description: 'The first 1 KB.' }))
  ResponseBody: string | null;

  @Docs((s) => s.ApiProperty({ type: String, nullable: true }))
  Error: string | null;
}

export class WebhookAttemptsResponse {
  @Docs((s) => s.ApiProperty({ type: [WebhookAttemptResult] }))
  Results: WebhookAttemptResult[];
}

export class WebhookRequeueResponse {
  @Docs((s) => s.ApiProperty({ description: 'How many deliveries were queued again.' }))
  Queued: number;
}
