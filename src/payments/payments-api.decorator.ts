import { applyDecorators, Controller, UseFilters, UseGuards, UsePipes } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { PaymentsAuthGuard } from './auth/payments-auth.guard.js';
import { PaymentsExceptionFilter } from './errors/payments-exception.filter.js';
import { paymentsValidationPipe } from './payments-validation.pipe.js';

const validation = paymentsValidationPipe();

/**
 * Every operation controller of the module: ServiceStack errors and validation, scoped to the
 * module so a host app's own routes keep their own behaviour.
 */
export function PaymentsApi(
  path: string,
  options: { authenticated?: boolean } = {},
): ClassDecorator {
  const authenticated = options.authenticated ?? true;
  return applyDecorators(
    Controller(path),
    ApiTags('Stripe Checkout'),
    UseFilters(PaymentsExceptionFilter),
    UsePipes(validation),
    ...(authenticated ? [UseGuards(PaymentsAuthGuard), ApiSecurity('x-api-key')] : []),
  );
}
