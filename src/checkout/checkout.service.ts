import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { Repository } from 'typeorm';
import { CompanyService, type CheckoutCompany } from '../companies/company.service.js';
import { Checkout } from '../entities/index.js';
import { PaymentsException } from '../errors/payments.exception.js';
import { PAYMENTS_OPTIONS } from '../payments.module-definition.js';
import type { PaymentsModuleOptions } from '../payments.options.js';
import { PricingService } from '../pricing/pricing.service.js';
import { StripeGateway, type CheckoutSession } from '../stripe/stripe.gateway.js';
import { toQueryResponse } from './checkout-response.js';
import { CheckoutSyncService, isPaid } from './checkout-sync.service.js';
import type { StripeCheckoutQueryResponse } from './dto/stripe-checkout-query-response.dto.js';
import type { StripeV1CreateCheckout } from './dto/stripe-v1-create-checkout.dto.js';
import { PayableLockService, type PayableLease } from './payable-lock.service.js';
import { redirectUrlProblem } from './redirect-url.js';
import { buildSessionParams } from './session-params.js';

@Injectable()
export class CheckoutService {
  private readonly logger = new Logger('Checkout');

  constructor(
    @Inject(PAYMENTS_OPTIONS) private readonly options: PaymentsModuleOptions,
    @InjectRepository(Checkout) private readonly checkouts: Repository<Checkout>,
    private readonly companies: CompanyService,
    private readonly pricing: PricingService,
    private readonly locks: PayableLockService,
    private readonly stripe: StripeGateway,
    private readonly sync: CheckoutSyncService,
  ) {}

  /** DESIGN §2: lock the payable, write ahead, create at Stripe, invalidate the earlier sessions. */
  async create(request: StripeV1CreateCheckout): Promise<StripeCheckoutQueryResponse> {
    const company = await this.companies.checkoutCompany(request.CompanyId);
    const urls = this.redirectUrls(request, company);
    const cart = await this.pricing.price(company.id, request.CountryCode, request.Articles);
    const lease = await this.locks.acquire(company.id, request.InternalReferenceId);
    try {
      if (lease.paid) throw alreadyPaid();
      const checkout = await this.writeAhead(request, company, lease, cart, urls);
      const session = await this.createSession(checkout);
      if (!lease.isNew) await this.invalidateEarlier(checkout, session, lease);
      return toQueryResponse(checkout, session);
    } finally {
      // A lease that cannot be released ends by itself; the caller still gets the checkout.
      await this.locks
        .release(lease)
        .catch((error: unknown) =>
          this.logger.warn(`Lock of payable ${lease.payableId} not released: ${String(error)}`),
        );
    }
  }

  private redirectUrls(request: StripeV1CreateCheckout, company: CheckoutCompany) {
    if (request.UiMode === 'embedded' && request.CancelUrl) {
      throw PaymentsException.field(
        'ValidationException',
        'CancelUrl',
        'CancelUrl is not allowed when UiMode is embedded',
      );
    }
    const confirmationUrl = request.ConfirmationUrl || company.defaultConfirmationUrl || undefined;
    const cancelUrl =
      request.UiMode === 'hosted'
        ? request.CancelUrl || company.defaultCancelUrl || undefined
        : undefined;
    const policy = {
      production: this.options.production ?? false,
      allowlist: company.redirectHostAllowlist,
    };
    for (const [field, url] of [
      ['ConfirmationUrl', confirmationUrl],
      ['CancelUrl', cancelUrl],
    ] as const) {
      const problem = url === undefined ? undefined : redirectUrlProblem(url, policy);
      if (problem)
        throw PaymentsException.field('RedirectUrlNotAllowed', field, `${field} ${problem}`);
    }
    return { confirmationUrl, cancelUrl };
  }

  private async writeAhead(
    request: StripeV1CreateCheckout,
    company: CheckoutCompany,
    lease: PayableLease,
    cart: Awaited<ReturnType<PricingService['price']>>,
    urls: { confirmationUrl?: string; cancelUrl?: string },
  ): Promise<Checkout> {
    const now = new Date();
    const id = randomUUID();
    const expiresAt = new Date(now.getTime() + company.sessionLifetimeMinutes * 60_000);
    const checkout = this.checkouts.create({
      id,
      payableId: lease.payableId,
      companyId: company.id,
      state: 'creating',
      paymentStatus: null,
      uiMode: request.UiMode,
      stripeSessionId: null,
      stripeAccountId: company.stripeAccountId,
      customerId: null,
      customerEmail: null,
      paymentIntentId: null,
      url: null,
      amountTotal: cart.amountTotal,
      currency: cart.currency,
      lineItems: cart.lineItems,
      idempotencyKey: `checkout-${id}`,
      invalidatedBy: null,
      refundRequired: false,
      expiresAt,
      createdAt: now,
      updatedAt: now,
      stripeRequest: JSON.stringify(
        buildSessionParams({
          checkoutId: id,
          companyId: company.id,
          internalReferenceId: request.InternalReferenceId,
          uiMode: request.UiMode,
          currency: cart.currency,
          lineItems: cart.lineItems,
          expiresAt,
          ...urls,
        }),
      ),
    });
    // No read-back of column defaults: every column is set here.
    await this.checkouts
      .createQueryBuilder()
      .insert()
      .values(checkout)
      .updateEntity(false)
      .execute();
    return checkout;
  }

  private async createSession(checkout: Checkout): Promise<CheckoutSession> {
    const session = await this.sync.createFromWriteAhead(checkout);
    Object.assign(checkout, {
      state: 'open',
      stripeSessionId: session.id,
      paymentStatus: session.payment_status,
      url: session.url ?? null,
      updatedAt: new Date(),
    });
    await this.checkouts.update(
      { id: checkout.id },
      {
        state: checkout.state,
        stripeSessionId: checkout.stripeSessionId,
        paymentStatus: checkout.paymentStatus,
        url: checkout.url,
        updatedAt: checkout.updatedAt,
      },
    );
    return session;
  }

  /** Expire every earlier open session; one found complete means the payable was paid meanwhile. */
  private async invalidateEarlier(
    checkout: Checkout,
    session: CheckoutSession,
    lease: PayableLease,
  ) {
    const earlier = await this.checkouts.find({
      where: { payableId: checkout.payableId, state: 'open' },
    });
    let paidMeanwhile = false;
    for (const old of earlier.filter((row) => row.id !== checkout.id && row.stripeSessionId)) {
      let result: CheckoutSession;
      try {
        result = await this.stripe.expireSession(
          old.stripeAccountId,
          old.stripeSessionId as string,
        );
      } catch (error) {
        // The earlier session stays open, so the new one must not: at most one open per payable.
        this.logger.warn(`Checkout ${old.id} could not be expired; withdrawing ${checkout.id}`);
        await this.withdraw(checkout, session);
        throw error instanceof PaymentsException && error.code === 'StripeUnavailable'
          ? error
          : new PaymentsException(
              'StripeUnavailable',
              'An earlier checkout of this payable could not be invalidated; try again shortly',
              [],
              5,
            );
      }
      if (result.status === 'complete') {
        paidMeanwhile = paidMeanwhile || isPaid(result);
        await this.sync.apply(old, result);
      } else {
        await this.checkouts.update(
          { id: old.id },
          {
            state: 'expired',
            paymentStatus: result.payment_status,
            invalidatedBy: checkout.id,
            updatedAt: new Date(),
          },
        );
      }
    }
    if (paidMeanwhile || (await this.locks.isPaid(lease.payableId))) {
      await this.withdraw(checkout, session);
      this.logger.warn(
        `Payable ${checkout.payableId} was paid while checkout ${checkout.id} was created`,
      );
      throw alreadyPaid();
    }
  }

  /**
   * Best effort: expires the new session whose URL never reached the caller and records it. When
   * Stripe refuses even that, the row stays open as Stripe has it, for reconciliation to see.
   */
  private async withdraw(checkout: Checkout, session: CheckoutSession): Promise<void> {
    try {
      const expired = await this.stripe.expireSession(checkout.stripeAccountId, session.id);
      await this.sync.apply(checkout, expired);
    } catch (error) {
      this.logger.error(
        `Checkout ${checkout.id} (session ${session.id}) could not be withdrawn and stays open: ${String(error)}`,
      );
    }
  }
}

function alreadyPaid(): PaymentsException {
  return new PaymentsException('AlreadyPaid', 'This payable is already paid');
}
