import type { DynamicModule } from '@nestjs/common';
import { PredefinedRoutesController } from './predefined-routes.controller.js';

export interface PredefinedRoutesSwitch {
  /**
   * ServiceStack's `/api/{Dto}` and `/json/reply/{Dto}` routes; default true. With
   * `forRootAsync` pass it next to `useFactory`: the routes are registered before the factory
   * runs (a `false` returned by the factory still makes them answer 404).
   */
  predefinedRoutes?: boolean;
}

/** The module with the predefined routes' controller, unless they are switched off. */
export function withPredefinedRoutes(
  module: DynamicModule,
  enabled: boolean | undefined,
): DynamicModule {
  if (enabled === false) return module;
  return { ...module, controllers: [...(module.controllers ?? []), PredefinedRoutesController] };
}
