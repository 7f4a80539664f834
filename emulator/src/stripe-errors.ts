export interface StripeErrorBody {
  type: 'invalid_request_error' | 'api_error' | 'idempotency_error' | 'permission_error';
  message: string;
  param?: string;
  code?: string;
  doc_url?: string;
}

/** Thrown anywhere in request handling; rendered as Stripe's `{ error: {...} }` body. */
export class StripeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: StripeErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(error.message);
  }

  body(): { error: StripeErrorBody } {
    return { error: this.error };
  }
}

export function invalidRequest(message: string, param?: string): StripeHttpError {
  return new StripeHttpError(400, { type: 'invalid_request_error', message, param });
}

export function missingParam(param: string): StripeHttpError {
  return invalidRequest(`Missing required param: ${param}.`, param);
}

export function resourceMissing(objectName: string, id: string, param: string): StripeHttpError {
  return new StripeHttpError(404, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    message: `No such ${objectName}: '${id.slice(0, 100)}'`,
    param,
    doc_url: 'https://stripe.com/docs/error-codes/resource-missing',
  });
}

export function unrecognizedUrl(method: string, path: string): StripeHttpError {
  return new StripeHttpError(404, {
    type: 'invalid_request_error',
    message: `Unrecognized request URL (${method}: ${path.slice(0, 200)}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
  });
}

export function apiError(): StripeHttpError {
  return new StripeHttpError(500, {
    type: 'api_error',
    message:
      "Sorry, something went wrong. We've already been notified of the problem, but if you need any help, you can reach us at support.stripe.com/contact.",
  });
}

export function rateLimited(shouldRetry: boolean): StripeHttpError {
  return new StripeHttpError(
    429,
    {
      type: 'invalid_request_error',
      code: 'rate_limit',
      message:
        'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
      doc_url: 'https://stripe.com/docs/error-codes/rate-limit',
    },
    { 'Stripe-Should-Retry': String(shouldRetry) },
  );
}

export function idempotencyMismatch(key: string): StripeHttpError {
  return new StripeHttpError(400, {
    type: 'idempotency_error',
    message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
  });
}

export function idempotencyEndpointMismatch(
  key: string,
  first: string,
  now: string,
): StripeHttpError {
  return new StripeHttpError(400, {
    type: 'idempotency_error',
    message: `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${first}' vs '${now}'). Try using a key other than '${key}' if you meant to execute a different request.`,
  });
}

export function idempotencyInFlight(key: string): StripeHttpError {
  return new StripeHttpError(409, {
    type: 'idempotency_error',
    code: 'idempotency_key_in_use',
    doc_url: 'https://stripe.com/docs/error-codes/idempotency-key-in-use',
    message: `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
  });
}

export function authenticationFailed(key: string | null): StripeHttpError {
  const message =
    key === null
      ? "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/."
      : `Invalid API Key provided: ${maskKey(key)}`;
  return new StripeHttpError(401, { type: 'invalid_request_error', message });
}

export function accountAccessDenied(key: string, account: string): StripeHttpError {
  return new StripeHttpError(403, {
    type: 'permission_error',
    message: `The provided key '${maskKey(key)}' does not have access to account '${account.slice(0, 100)}' (or that account does not exist). Application access may have been revoked.`,
  });
}

/** `sk_live_****abcd`: keeps the key type and the last four characters, never the secret part. */
export function maskKey(key: string): string {
  const prefix = /^(sk|rk|pk)_(test|live)_/.exec(key)?.[0] ?? '';
  const rest = key.slice(prefix.length);
  const tail = rest.length >= 8 ? rest.slice(-4) : '';
  return `${prefix}****${tail}`;
}
