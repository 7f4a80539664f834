import { Get } from '@nestjs/common';
import { PaymentsApi } from '../payments-api.decorator.js';
import { OperationRequest } from '../servicestack/operation-request.js';
import { Docs } from '../swagger/docs.js';
import { GetPaymentEvents, PaymentEventsResponse } from './dto/payment-events.dto.js';
import { PaymentEventsService } from './payment-events.service.js';

@PaymentsApi('payment/events', { tag: 'Webhooks' })
export class PaymentEventsController {
  constructor(private readonly events: PaymentEventsService) {}

  @Get()
  @Docs((s) =>
    s.ApiOperation({
      operationId: 'GetPaymentEvents',
      summary: "The company's events in order, a page after a cursor (for pollers)",
    }),
  )
  @Docs((s) => s.ApiOkResponse({ type: PaymentEventsResponse, description: 'A page of events' }))
  @Docs((s) => s.ApiQuery({ type: GetPaymentEvents }))
  page(@OperationRequest() request: GetPaymentEvents): Promise<PaymentEventsResponse> {
    return this.events.page(request);
  }
}
