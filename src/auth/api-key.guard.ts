import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { findFields } from '../common/request-fields.js';
import { PaymentsException } from '../errors/payments.exception.js';
import { ApiKeyService, type ApiCaller } from './api-key.service.js';

interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  query?: unknown;
  apiCaller?: ApiCaller;
}

/** x-api-key → 401 when missing/unknown; a company key used for another company → 403. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly apiKeys: ApiKeyService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = request.headers['x-api-key'];
    if (typeof key !== 'string' || key.length === 0 || key.length > 200) {
      throw new PaymentsException('Unauthorized', 'Send a valid API key in the x-api-key header');
    }
    const caller = await this.apiKeys.identify(key);
    if (!caller) throw new PaymentsException('Unauthorized', 'The API key is not valid');
    // Every CompanyId the request carries, in the body and the query string alike: the operation
    // binds one of them (a GET reads the query even when a body was sent), so each must be allowed.
    const companyIds = [
      ...findFields(request.body, 'CompanyId'),
      ...findFields(request.query, 'CompanyId'),
    ];
    if (caller.companyId !== null && companyIds.some((id) => id !== caller.companyId)) {
      throw new PaymentsException('Forbidden', 'This API key is not allowed for that company');
    }
    request.apiCaller = caller;
    return true;
  }
}
