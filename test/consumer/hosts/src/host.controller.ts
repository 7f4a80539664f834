import { Controller, Get } from '@nestjs/common';
import { PaidBookings } from './paid-bookings.js';
import { TICK_MS, TickCounter } from './tick-counter.js';

/** Routes the host owns, at paths the module could take if it were a bad guest. */
@Controller()
export class HostController {
  constructor(
    private readonly ticks: TickCounter,
    private readonly bookings: PaidBookings,
  ) {}

  @Get('health')
  health() {
    return { service: 'host', healthy: true };
  }

  @Get('api/users')
  users() {
    return [{ id: 1, name: 'Ada (a host user)' }];
  }

  @Get('bookings/paid')
  paid() {
    return { calls: this.bookings.calls, paid: Object.fromEntries(this.bookings.paid) };
  }

  @Get('jobs/ticks')
  ranAt() {
    return { intervalMs: TICK_MS, ranAt: this.ticks.ranAt };
  }
}
