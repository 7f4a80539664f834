import type { INestApplication } from '@nestjs/common';
import { PaymentsExceptionFilter } from '../errors/payments-exception.filter.js';

/**
 * For a host whose whole app should answer errors the way the module does: unknown routes and
 * methods, and body errors the framework raises before any route, become ServiceStack
 * ResponseStatus bodies too. A global exception filter, so the host's own routes get it as well:
 * the standalone service uses it; a host with its own error shape does not.
 */
export function useServiceStackErrors(app: INestApplication): void {
  app.useGlobalFilters(new PaymentsExceptionFilter());
}
