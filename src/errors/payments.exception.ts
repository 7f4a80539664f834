import type { ResponseError } from './response-status.js';

/** Domain error codes and the HTTP status each maps to (the one place that decides it). */
export const ERROR_STATUS = {
  ValidationException: 400,
  StripeCheckoutNotConfigured: 400,
  RedirectUrlNotAllowed: 400,
  PriceNotFound: 400,
  WebhookEndpointLimitReached: 400,
  InvalidSignature: 400,
  Unauthorized: 401,
  Forbidden: 403,
  CompanyNotFound: 404,
  ArticleNotFound: 404,
  CheckoutNotFound: 404,
  WebhookEndpointNotFound: 404,
  EventNotFound: 404,
  AlreadyPaid: 409,
  PaymentPending: 409,
  CheckoutInProgress: 409,
  TooManyRequests: 429,
  StripeError: 502,
  StripeUnavailable: 503,
  DatabaseUnavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class PaymentsException extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors: ResponseError[] = [],
    /** Seconds, sent as Retry-After. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }

  /** One failing field: ServiceStack puts it both in ResponseStatus and in Errors. */
  static field(code: ErrorCode, fieldName: string, message: string): PaymentsException {
    return new PaymentsException(code, message, [
      { ErrorCode: code, FieldName: fieldName, Message: message },
    ]);
  }
}
