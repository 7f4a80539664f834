import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';

export const TICK_MS = 100;

/** The host's own scheduled job: it records when it ran. */
@Injectable()
export class TickCounter {
  readonly ranAt: number[] = [];

  @Interval(TICK_MS)
  tick(): void {
    this.ranAt.push(performance.now());
  }
}
