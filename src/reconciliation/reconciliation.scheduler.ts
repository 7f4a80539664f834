import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { PAYMENTS_OPTIONS } from '../payments.module-definition.js';
import type { PaymentsModuleOptions } from '../payments.options.js';
import { ReconciliationService } from './reconciliation.service.js';

/**
 * Runs reconciliation on an interval from the module options (0 turns it off). Its own timer, not
 * a scheduler module: a host's `ScheduleModule` stays the host's.
 */
@Injectable()
export class ReconciliationScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Reconciliation');
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    @Inject(PAYMENTS_OPTIONS) private readonly options: PaymentsModuleOptions,
    private readonly reconciliation: ReconciliationService,
  ) {}

  onApplicationBootstrap(): void {
    const interval = this.options.reconcileIntervalMs ?? 60_000;
    if (interval > 0) this.timer = setInterval(() => void this.tick(), interval).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const report = await this.reconciliation.reconcile();
      if (report.settled + report.failed > 0)
        this.logger.log(`Reconciled ${JSON.stringify(report)}`);
    } catch (error) {
      this.logger.warn(
        `Reconciliation failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      this.running = false;
    }
  }
}
