import { Inject, Injectable, Logger } from '@nestjs/common';
import { timeOrderedId } from '../common/time-ordered-id.js';
import { CompanyService, type CheckoutCompany } from '../companies/company.service.js';
import { Checkout } from '../entities/index.js';
import { PaymentsException } from '../errors/payments.exception.js';
import { PAYMENTS_OPTIONS } from '../payments.module-definition.js';
import type { PaymentsModuleOptions } from '../payments.options.js';
import { PricingService, type PricedCart } from '../pricing/pricing.service.js';
import { CheckoutRetirementService } from './checkout-retirement.service.js';
import { toQueryResponse } from './checkout-response.js';
import { CheckoutStore } from './checkout-store.js';
import { CheckoutSyncService } from './checkout-sync.service.js';
import type { StripeCheckoutQueryResponse } from './dto/stripe-checkout-query-response.dto.js';
import { validRequest } from '../servicestack/operation-request.pipe.js';
import { CheckoutQueryService } from './checkout-query.service.js';
import {
  GetStripeCheckoutV1CheckoutStatus,
  type StripeCheckoutStatusQueryResponse,
} from './dto/get-stripe-checkout-v1-checkout-status.dto.js';
import { GetStripeV1Checkout } from './dto/get-stripe-v1-checkout.dto.js';
import { StripeV1CreateCheckout } from './dto/stripe-v1-create-checkout.dto.js';
import { PayableLeaseService, type PayableLease } from './payable-lease.service.js';
import { redirectUrlProblem } from './redirect-url.js';
import { buildSessionParams } from './session-params.js';

@Injectable()
export class CheckoutService {
  private readonly logger = new Logger('Checkout');

  constructor(
    @Inject(PAYMENTS_OPTIONS) private readonly options: PaymentsModuleOptions,
    private readonly companies: CompanyService,
    private readonly pricing: PricingService,
    private readonly leases: PayableLeaseService,
    private readonly store: CheckoutStore,
    private readonly retirement: CheckoutRetirementService,
    private readonly sync: CheckoutSyncService,
    private readonly queries: CheckoutQueryService,
  ) {}

  /**
   * DESIGN §2, in the order that keeps at most one payable session per payable at every instant:
   * take the payable's lease; end every earlier session at Stripe (one found paid is a 409 and
   * nothing is created); write the new checkout ahead; create its session; hand it out only while
   * the lease is still ours.
   */
  async create(
    input: StripeV1CreateCheckout | Record<string, unknown>,
  ): Promise<StripeCheckoutQueryResponse> {
    const request = await validRequest(StripeV1CreateCheckout, input);
    const company = await this.companies.checkoutCompany(request.CompanyId);
    const urls = this.redirectUrls(request, company);
    const cart = await this.pricing.price(company.id, request.CountryCode, request.Articles);
    const checkout = this.writeAheadRow(request, company, cart, urls);
    const lease = await this.leaseWithWriteAhead(checkout, request.InternalReferenceId);
    let released = false;
    try {
      const session = await this.sync.createFromWriteAhead(checkout);
      const handedOut = await this.leases.releasing(lease, (m) =>
        this.store.markOpen(m, checkout, session),
      );
      released = true;
      // A row no longer `creating` was settled by someone else meanwhile: not ours to hand out.
      if (!handedOut) throw checkoutInProgress();
      return toQueryResponse(checkout, session);
    } finally {
      // A lease that cannot be released ends by itself.
      if (!released) await this.releaseQuietly(lease);
    }
  }

  /** The payable's current checkout, refreshed from Stripe (as `GET /payment/stripe/v1/checkout`). */
  async current(
    input: GetStripeV1Checkout | Record<string, unknown>,
  ): Promise<StripeCheckoutQueryResponse> {
    const query = await validRequest(GetStripeV1Checkout, input);
    return this.queries.current(query.CompanyId, query.InternalReferenceId);
  }

  /** A session's status and customer email (as `POST /payment/stripe/v1/checkout/status`). */
  async status(
    input: GetStripeCheckoutV1CheckoutStatus | Record<string, unknown>,
  ): Promise<StripeCheckoutStatusQueryResponse> {
    const query = await validRequest(GetStripeCheckoutV1CheckoutStatus, input);
    return this.queries.status(query.CompanyId, query.SessionId);
  }

  /**
   * A new payable is created with its lease and write-ahead row in one transaction. An existing one
   * is leased, its earlier sessions are ended, and then the row is written under the lease.
   */
  private async leaseWithWriteAhead(checkout: Checkout, reference: string): Promise<PayableLease> {
    const created = await this.leases.createLeased(checkout.companyId, reference, (m, payableId) =>
      this.store.insertWriteAhead(m, checkout, payableId),
    );
    if (created) return created;
    const lease = await this.leases.acquire(checkout.companyId, reference);
    try {
      if (lease.paid) throw alreadyPaid();
      await this.retireEarlier(lease, checkout.id);
      await this.leases.fenced(lease, (m) =>
        this.store.insertWriteAhead(m, checkout, lease.payableId),
      );
      return lease;
    } catch (error) {
      await this.releaseQuietly(lease);
      throw error;
    }
  }

  /** Ends every earlier session, oldest first, so no two are ever open at once. */
  private async retireEarlier(lease: PayableLease, replacedBy: string): Promise<void> {
    for (const earlier of await this.store.unsettledOf(lease.payableId)) {
      const outcome = await this.retirement.retire(earlier, lease, replacedBy);
      if (outcome === 'paid') {
        this.logger.log(`Payable ${lease.payableId} was paid by checkout ${earlier.id} meanwhile`);
        throw alreadyPaid();
      }
      if (outcome === 'pending') {
        throw new PaymentsException(
          'PaymentPending',
          'A payment of this payable is being processed; its outcome comes from Stripe shortly',
        );
      }
    }
  }

  private async releaseQuietly(lease: PayableLease): Promise<void> {
    await this.leases
      .release(lease)
      .catch((error: unknown) =>
        this.logger.warn(`Lease of payable ${lease.payableId} not released: ${String(error)}`),
      );
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

  private writeAheadRow(
    request: StripeV1CreateCheckout,
    company: CheckoutCompany,
    cart: PricedCart,
    urls: { confirmationUrl?: string; cancelUrl?: string },
  ): Checkout {
    const now = new Date();
    const id = timeOrderedId();
    const expiresAt = new Date(now.getTime() + company.sessionLifetimeMinutes * 60_000);
    const checkout = Object.assign(new Checkout(), {
      id,
      payableId: '',
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
      expireReason: null,
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
    } satisfies Checkout);
    return checkout;
  }
}

function alreadyPaid(): PaymentsException {
  return new PaymentsException('AlreadyPaid', 'This payable is already paid');
}

function checkoutInProgress(): PaymentsException {
  return new PaymentsException(
    'CheckoutInProgress',
    'Another checkout of this payable is being created; try again shortly',
    [],
    1,
  );
}
