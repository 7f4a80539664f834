import {
  applyDecorators,
  Controller,
  UseFilters,
  UseGuards,
  UseInterceptors,
  UsePipes,
} from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { PaymentsAuthGuard } from './auth/payments-auth.guard.js';
import { RateLimitGuard } from './rate-limit/rate-limit.guard.js';
import { PaymentsExceptionFilter } from './errors/payments-exception.filter.js';
import { paymentsValidationPipe } from './payments-validation.pipe.js';
import { ApiErrorResponses } from './servicestack/error-response.schema.js';
import { JsonSuffixRoutes } from './servicestack/json-suffix-routes.js';
import { ServiceStackOperations } from './servicestack/servicestack-operation.decorator.js';
import { WireFormatInterceptor } from './servicestack/wire-format.interceptor.js';

const validation = paymentsValidationPipe();

/**
 * Every operation controller of the module: ServiceStack errors and validation, scoped to the
 * module so a host app's own routes keep their own behaviour. ServiceStack's wire format too:
 * every route also answers with a `.json` suffix, every method taking a request DTO is also
 * served on `/api/{Dto}` and `/json/reply/{Dto}`, and `?format=`, JSONP and form bodies apply.
 */
export function PaymentsApi(
  path: string,
  options: { authenticated?: boolean } = {},
): ClassDecorator {
  const authenticated = options.authenticated ?? true;
  return applyDecorators(
    Controller(),
    JsonSuffixRoutes(path),
    ServiceStackOperations(),
    ApiTags('Stripe Checkout'),
    ApiErrorResponses({ authenticated }),
    UseFilters(PaymentsExceptionFilter),
    UseInterceptors(WireFormatInterceptor),
    UsePipes(validation),
    ...(authenticated
      ? [UseGuards(PaymentsAuthGuard, RateLimitGuard), ApiSecurity('x-api-key')]
      : []),
  );
}
