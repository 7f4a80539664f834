import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, type Repository } from 'typeorm';
import { Checkout, Payable } from '../entities/index.js';
import { PaymentsException } from '../errors/payments.exception.js';
import { StripeGateway } from '../stripe/stripe.gateway.js';
import { CheckoutSyncService } from './checkout-sync.service.js';
import { toQueryResponse } from './checkout-response.js';
import type { StripeCheckoutStatusQueryResponse } from './dto/get-stripe-checkout-v1-checkout-status.dto.js';
import type { StripeCheckoutQueryResponse } from './dto/stripe-checkout-query-response.dto.js';

/** Reads a checkout and refreshes it from Stripe on the way, so what we answer is current. */
@Injectable()
export class CheckoutQueryService {
  constructor(
    @InjectRepository(Payable) private readonly payables: Repository<Payable>,
    @InjectRepository(Checkout) private readonly checkouts: Repository<Checkout>,
    private readonly stripe: StripeGateway,
    private readonly sync: CheckoutSyncService,
  ) {}

  async current(
    companyId: string,
    internalReferenceId: string,
  ): Promise<StripeCheckoutQueryResponse> {
    const payable = await this.payables.findOneBy({ companyId, internalReferenceId });
    const checkout =
      payable &&
      (await this.checkouts.findOne({
        where: {
          payableId: payable.id,
          invalidatedBy: IsNull(),
          state: In(['open', 'complete', 'expired', 'failed']),
        },
        order: { createdAt: 'DESC' },
      }));
    if (!checkout)
      throw notFound('No checkout exists for this InternalReferenceId', 'InternalReferenceId');
    const session = await this.stripe.retrieveSession(
      checkout.stripeAccountId,
      checkout.stripeSessionId as string,
    );
    return toQueryResponse(await this.sync.apply(checkout, session), session);
  }

  async status(companyId: string, sessionId: string): Promise<StripeCheckoutStatusQueryResponse> {
    const checkout = await this.checkouts.findOneBy({ companyId, stripeSessionId: sessionId });
    if (!checkout) throw notFound('No checkout of this company has that SessionId', 'SessionId');
    const session = await this.stripe.retrieveSession(checkout.stripeAccountId, sessionId);
    const updated = await this.sync.apply(checkout, session);
    return { CustomerEmail: updated.customerEmail, Status: session.status };
  }
}

function notFound(message: string, field: string): PaymentsException {
  return PaymentsException.field('CheckoutNotFound', field, message);
}
