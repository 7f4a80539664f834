import type { DynamicModule } from '@nestjs/common';
import { HealthController } from './health/health.controller.js';
import { PredefinedRoutesController } from './servicestack/predefined-routes.controller.js';

/**
 * Routes a host may want or may own already; off by default, so a guest mounts only its
 * operations and its webhook. They decide which controllers exist, so with `forRootAsync` they go
 * next to `useFactory`, not in what it returns.
 */
export interface PaymentsModuleSwitches {
  /** `GET /health`, `/health?details=true` and `/health/ready`; default false. */
  health?: boolean;
  /** ServiceStack's predefined `/api/{Dto}` and `/json/reply/{Dto}` routes; default false. */
  predefinedRoutes?: boolean;
}

export function withSwitches(
  module: DynamicModule,
  switches: PaymentsModuleSwitches,
): DynamicModule {
  const controllers = [
    ...(module.controllers ?? []),
    ...(switches.health ? [HealthController] : []),
    ...(switches.predefinedRoutes ? [PredefinedRoutesController] : []),
  ];
  return { ...module, controllers };
}
