import {
  Injectable,
  ValidationPipe,
  type ArgumentMetadata,
  type PipeTransform,
} from '@nestjs/common';
import { callerOf, mayActFor } from '../auth/payments-caller.js';
import { exceedsDepth } from '../common/nesting-depth.js';
import { PaymentsException } from '../errors/payments.exception.js';
import { validationException } from '../errors/validation-errors.js';
import { RateLimiter } from '../rate-limit/rate-limiter.js';
import { isDto } from './dto-shape.js';
import { WireRequest } from './operation-request.js';
import { bindToDto } from './request-binding.js';
import type { WireSource } from './wire-sources.js';

/** class-validator on a bound request, whitelisted: a field we do not know is a 400, never ignored. */
const dtoValidation = new ValidationPipe({
  transform: true,
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
  exceptionFactory: (errors) => validationException(errors),
});

/**
 * Every operation's request, in this order: bound by ServiceStack's rules (see `bindToDto`); the
 * caller's companies checked against the bound `CompanyId` (403), and the payable's rate limit;
 * then validated (400). The one place a request DTO comes to be, whichever guard authenticated it.
 */
@Injectable()
export class OperationRequestPipe implements PipeTransform {
  constructor(private readonly rateLimiter: RateLimiter) {}

  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (!(value instanceof WireRequest)) {
      // An operation's request that another pipe replaced would skip binding, the tenant check
      // and validation: refused, never passed on.
      if (metadata.type === 'custom' && isDto(metadata.metatype)) throw replacedRequest();
      return value;
    }
    const bound = bindRequest(value.fields, value.source, metadata.metatype);
    await this.authorize(value.request, bound);
    return dtoValidation.transform(bound, { ...metadata, type: 'body' });
  }

  private async authorize(request: object, bound: unknown): Promise<void> {
    const caller = callerOf(request);
    if (!caller || !bound || typeof bound !== 'object') return;
    const { CompanyId, InternalReferenceId } = bound as Record<string, unknown>;
    if (CompanyId !== undefined && !mayActFor(caller, CompanyId)) {
      throw new PaymentsException('Forbidden', 'The caller is not allowed for that company');
    }
    if (typeof CompanyId === 'string' && typeof InternalReferenceId === 'string') {
      await this.rateLimiter.perPayable(CompanyId, InternalReferenceId);
    }
  }
}

function replacedRequest(): Error {
  return new Error(
    "An operation's request was replaced before the payments pipe (a global pipe with " +
      'validateCustomDecorators?): refused',
  );
}

/**
 * A request DTO for a call from a host's code: bound and validated exactly as over HTTP, unless it
 * is an instance our pipe made already.
 */
export async function validRequest<T extends object>(
  dto: new () => T,
  value: T | Record<string, unknown>,
): Promise<T> {
  if (value instanceof dto) return value;
  const bound = bindRequest(value, 'json', dto);
  return (await dtoValidation.transform(bound, { type: 'body', metatype: dto })) as T;
}

function bindRequest(fields: unknown, source: WireSource, dto: ArgumentMetadata['metatype']) {
  if (exceedsDepth(fields)) {
    throw new PaymentsException('ValidationException', 'The request is nested too deeply', [
      { ErrorCode: 'TooDeep', FieldName: '', Message: 'The request is nested too deeply' },
    ]);
  }
  if (!isDto(dto) || !fields || typeof fields !== 'object' || Array.isArray(fields)) return fields;
  return bindToDto(fields, dto, source !== 'json');
}
