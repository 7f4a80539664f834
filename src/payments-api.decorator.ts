import {
  applyDecorators,
  Controller,
  UseFilters,
  UseGuards,
  UseInterceptors,
  UsePipes,
} from '@nestjs/common';
import { OperationAuthGuard } from './auth/operation-auth.guard.js';
import { PaymentsExceptionFilter } from './errors/payments-exception.filter.js';
import { ApiErrorResponses } from './servicestack/error-response.schema.js';
import { JsonSuffixRoutes } from './servicestack/json-suffix-routes.js';
import { OperationRequestPipe } from './servicestack/operation-request.pipe.js';
import { ServiceStackOperations } from './servicestack/servicestack-operation.decorator.js';
import { WireFormatInterceptor } from './servicestack/wire-format.interceptor.js';
import { Docs } from './swagger/docs.js';

/**
 * Every operation controller of the module: ServiceStack errors and validation, scoped to the
 * module so a host app's own routes keep their own behaviour. ServiceStack's wire format too:
 * every route also answers with a `.json` suffix, every method taking an `@OperationRequest()`
 * is also served on `/api/{Dto}` and `/json/reply/{Dto}` (when the host turns the predefined
 * routes on), and `?format=`, JSONP and form bodies apply.
 */
export function PaymentsApi(
  path: string,
  options: { authenticated?: boolean; tag?: string } = {},
): ClassDecorator {
  const authenticated = options.authenticated ?? true;
  return applyDecorators(
    Controller(),
    JsonSuffixRoutes(path),
    ServiceStackOperations(),
    Docs((s) => s.ApiTags(options.tag ?? 'Stripe Checkout')),
    ApiErrorResponses({ authenticated }),
    UseFilters(PaymentsExceptionFilter),
    UseInterceptors(WireFormatInterceptor),
    UsePipes(OperationRequestPipe),
    ...(authenticated
      ? [UseGuards(OperationAuthGuard), Docs((s) => s.ApiSecurity('x-api-key'))]
      : []),
  );
}
