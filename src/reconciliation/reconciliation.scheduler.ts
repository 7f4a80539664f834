import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { PAYMENTS_OPTIONS } from '../payments.module-definition.js';
import type { PaymentsModuleOptions } from '../payments.options.js';
import { ReconciliationService } from './reconciliation.service.js';

const JOB = 'payments-reconciliation';

/** Runs reconciliation on an interval from the module options (0 turns it off). */
@Injectable()
export class ReconciliationScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Reconciliation');
  private running = false;

  constructor(
    @Inject(PAYMENTS_OPTIONS) private readonly options: PaymentsModuleOptions,
    private readonly registry: SchedulerRegistry,
    private readonly reconciliation: ReconciliationService,
  ) {}

  onApplicationBootstrap(): void {
    const interval = this.options.reconcileIntervalMs ?? 60_000;
    if (interval <= 0) return;
    this.registry.addInterval(JOB, setInterval(() => void this.tick(), interval).unref());
  }

  onApplicationShutdown(): void {
    if (this.registry.doesExist('interval', JOB)) this.registry.deleteInterval(JOB);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const report = await this.reconciliation.reconcile();
      if (report.creating + report.open + report.failed > 0)
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
