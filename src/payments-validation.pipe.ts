import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { exceedsDepth } from './common/nesting-depth.js';
import { PaymentsException } from './errors/payments.exception.js';
import { validationException } from './errors/validation-errors.js';
import { ServiceStackValidationPipe } from './servicestack/servicestack-validation.pipe.js';

/** Whitelisted: a field we do not know (Amount, StripeAccount, ...) is a 400, never ignored. */
class PaymentsValidationPipe extends ServiceStackValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (exceedsDepth(value)) {
      throw new PaymentsException('ValidationException', 'The request is nested too deeply', [
        { ErrorCode: 'TooDeep', FieldName: '', Message: 'The request is nested too deeply' },
      ]);
    }
    return super.transform(value, metadata);
  }
}

export function paymentsValidationPipe(): ValidationPipe {
  return new PaymentsValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationException(errors),
  });
}

const codeCallValidation = paymentsValidationPipe();

/**
 * A request DTO for a call from a host's code: bound and validated exactly as over HTTP, unless it
 * is an instance our pipe made already.
 */
export async function validRequest<T extends object>(
  dto: new () => T,
  value: T | Record<string, unknown>,
): Promise<T> {
  if (value instanceof dto) return value;
  return (await codeCallValidation.transform(value, { type: 'body', metatype: dto })) as T;
}
