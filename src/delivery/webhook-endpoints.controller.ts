import { Delete, Get, HttpCode, Post, Put } from '@nestjs/common';
import { PaymentsApi } from '../payments-api.decorator.js';
import { OperationRequest } from '../servicestack/operation-request.js';
import { Docs } from '../swagger/docs.js';
import {
  CreateWebhookEndpoint,
  DeleteWebhookEndpoint,
  GetWebhookEndpoint,
  ListWebhookEndpointAttempts,
  ListWebhookEndpoints,
  RecoverWebhookEndpoint,
  ResendWebhookEvent,
  RotateWebhookEndpointSecret,
  UpdateWebhookEndpoint,
} from './dto/webhook-endpoint-requests.dto.js';
import {
  WebhookAttemptsResponse,
  WebhookEndpoint,
  WebhookEndpointsResponse,
  WebhookRequeueResponse,
} from './dto/webhook-endpoint-responses.dto.js';
import { EndpointIdParam } from './dto/webhook-properties.js';
import { WebhookEndpointsService } from './webhook-endpoints.service.js';

const operation = (operationId: string, summary: string) =>
  Docs((s) => s.ApiOperation({ operationId, summary }));
const ok = (type: object, description: string) =>
  Docs((s) => s.ApiOkResponse({ type: type as never, description }));

/** BokaMera's outbound webhook API: a company's endpoints, their attempts, and repairs. */
@PaymentsApi('webhook/endpoints', { tag: 'Webhooks' })
export class WebhookEndpointsController {
  constructor(private readonly endpoints: WebhookEndpointsService) {}

  @Post()
  @HttpCode(200)
  @operation(
    'CreateWebhookEndpoint',
    'Register an endpoint for events (its secret is returned once)',
  )
  @ok(WebhookEndpoint, 'The endpoint, with its signing secret')
  @Docs((s) => s.ApiBody({ type: CreateWebhookEndpoint }))
  create(@OperationRequest() request: CreateWebhookEndpoint): Promise<WebhookEndpoint> {
    return this.endpoints.create(request);
  }

  @Get()
  @operation('ListWebhookEndpoints', "The company's endpoints (without secrets)")
  @ok(WebhookEndpointsResponse, 'The endpoints')
  @Docs((s) => s.ApiQuery({ type: ListWebhookEndpoints }))
  list(@OperationRequest() request: ListWebhookEndpoints): Promise<WebhookEndpointsResponse> {
    return this.endpoints.list(request);
  }

  @Get(':Id')
  @EndpointIdParam()
  @operation('GetWebhookEndpoint', 'One endpoint; its secret with IncludeSecret=true')
  @ok(WebhookEndpoint, 'The endpoint')
  @Docs((s) => s.ApiQuery({ type: GetWebhookEndpoint }))
  get(@OperationRequest() request: GetWebhookEndpoint): Promise<WebhookEndpoint> {
    return this.endpoints.get(request);
  }

  @Put(':Id')
  @EndpointIdParam()
  @operation('UpdateWebhookEndpoint', 'Change an endpoint; enabling it again clears its failures')
  @ok(WebhookEndpoint, 'The endpoint')
  @Docs((s) => s.ApiBody({ type: UpdateWebhookEndpoint }))
  update(@OperationRequest() request: UpdateWebhookEndpoint): Promise<WebhookEndpoint> {
    return this.endpoints.update(request);
  }

  @Delete(':Id')
  @EndpointIdParam()
  @HttpCode(204)
  @operation('DeleteWebhookEndpoint', 'Remove an endpoint, its deliveries and attempts')
  @Docs((s) => s.ApiNoContentResponse({ description: 'Deleted' }))
  @Docs((s) => s.ApiQuery({ type: DeleteWebhookEndpoint }))
  remove(@OperationRequest() request: DeleteWebhookEndpoint): Promise<void> {
    return this.endpoints.remove(request);
  }

  @Post(':Id/secret/rotate')
  @EndpointIdParam()
  @HttpCode(200)
  @operation('RotateWebhookEndpointSecret', 'A new secret; the old one also signs for 24 hours')
  @ok(WebhookEndpoint, 'The endpoint, with its new secret')
  @Docs((s) => s.ApiBody({ type: RotateWebhookEndpointSecret }))
  rotate(@OperationRequest() request: RotateWebhookEndpointSecret): Promise<WebhookEndpoint> {
    return this.endpoints.rotate(request);
  }

  @Get(':Id/attempts')
  @EndpointIdParam()
  @operation('ListWebhookEndpointAttempts', "The endpoint's delivery attempts, newest first")
  @ok(WebhookAttemptsResponse, 'The attempts')
  @Docs((s) => s.ApiQuery({ type: ListWebhookEndpointAttempts }))
  attempts(
    @OperationRequest() request: ListWebhookEndpointAttempts,
  ): Promise<WebhookAttemptsResponse> {
    return this.endpoints.attempts(request);
  }

  @Post(':Id/resend')
  @EndpointIdParam()
  @HttpCode(200)
  @operation('ResendWebhookEvent', 'Send one event to the endpoint again, now')
  @ok(WebhookRequeueResponse, 'Queued')
  @Docs((s) => s.ApiBody({ type: ResendWebhookEvent }))
  resend(@OperationRequest() request: ResendWebhookEvent): Promise<WebhookRequeueResponse> {
    return this.endpoints.resend(request);
  }

  @Post(':Id/recover')
  @EndpointIdParam()
  @HttpCode(200)
  @operation('RecoverWebhookEndpoint', 'Send again every delivery given up since a time')
  @ok(WebhookRequeueResponse, 'How many were queued')
  @Docs((s) => s.ApiBody({ type: RecoverWebhookEndpoint }))
  recover(@OperationRequest() request: RecoverWebhookEndpoint): Promise<WebhookRequeueResponse> {
    return this.endpoints.recover(request);
  }
}
