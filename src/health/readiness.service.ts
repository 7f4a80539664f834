import { Injectable } from '@nestjs/common';

/** Whether this instance should get new traffic; the host flips it when it starts draining. */
@Injectable()
export class ReadinessService {
  private shuttingDown = false;

  get ready(): boolean {
    return !this.shuttingDown;
  }

  markShuttingDown(): void {
    this.shuttingDown = true;
  }
}
