import {
  All,
  Controller,
  Next,
  NotFoundException,
  Param,
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import { PaymentsExceptionFilter } from '../errors/payments-exception.filter.js';
import { ServiceStackOperationRegistry } from './operation-registry.js';
import { JSON_SUFFIX } from './json-suffix-routes.js';
import { Docs } from '../swagger/docs.js';

/**
 * ServiceStack's predefined routes: `/api/{RequestDto}` (current clients, e.g.
 * `@servicestack/client` 2.x) and `/json/reply/{RequestDto}` (older ones) run the same operation
 * as its custom route, with that route's guards, interceptors, validation, and this module's
 * error filter (the status code and headers are the operation's own). Any verb, as in
 * ServiceStack; the request DTO comes from the query string on GET and from the body otherwise.
 */
@Docs((s) => s.ApiExcludeController())
@UseFilters(PaymentsExceptionFilter)
@Controller()
export class PredefinedRoutesController {
  constructor(private readonly operations: ServiceStackOperationRegistry) {}

  @All(['api/:operation', 'json/reply/:operation'])
  async run(
    @Param('operation') name: string,
    @Req() request: unknown,
    @Res() response: unknown,
    @Next() next: () => void,
  ): Promise<void> {
    const requested = name.endsWith(JSON_SUFFIX) ? name.slice(0, -JSON_SUFFIX.length) : name;
    const operation = this.operations.find(requested);
    if (!operation) throw new NotFoundException(`Unknown operation: ${requested}`);
    await operation.invoke(request, response, next);
  }
}
