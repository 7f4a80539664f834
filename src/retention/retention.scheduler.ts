import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { RetentionService } from './retention.service.js';

/**
 * Runs retention on its interval (`retention.intervalMs`, 0 turns it off). Its own timer, not a
 * scheduler module: a host's `ScheduleModule` stays the host's.
 */
@Injectable()
export class RetentionScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Retention');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly retention: RetentionService) {}

  onApplicationBootstrap(): void {
    const { intervalMs } = this.retention.settings;
    if (intervalMs > 0) this.timer = setInterval(() => void this.tick(), intervalMs).unref();
  }

  /** No new pass, and the one in progress ends after its batch, before the database closes. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.retention.stop();
    await this.running;
  }

  private tick(): Promise<void> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<void> {
    try {
      const report = await this.retention.prune();
      if (report.batches > 0) this.logger.log(`Pruned ${JSON.stringify(report.pruned)}`);
    } catch (error) {
      this.logger.warn(
        `Retention failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
