import { ValidationPipe } from '@nestjs/common';
import { validationException } from './errors/validation-errors.js';

/** Whitelisted: a field we do not know (Amount, StripeAccount, ...) is a 400, never ignored. */
export function paymentsValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationException(errors),
  });
}
