import { Injectable } from '@nestjs/common';
import { OnPaymentEvent, type PaymentEvent } from 'bokamera-payments';

/**
 * The host's own listener: marks a booking paid once per event Id. It throws the first time it
 * sees an event (a busy booking system), so the module must call it again with the same Id.
 */
@Injectable()
export class PaidBookings {
  readonly calls: string[] = [];
  readonly paid = new Map<string, { eventId: string; amount: number; times: number }>();

  @OnPaymentEvent('payable.paid')
  markPaid(event: PaymentEvent): void {
    this.calls.push(event.Id);
    if (this.calls.filter((id) => id === event.Id).length === 1) {
      throw new Error('the booking system is busy, try again');
    }
    const booking = this.paid.get(event.InternalReferenceId);
    if (booking?.eventId === event.Id) return;
    this.paid.set(event.InternalReferenceId, {
      eventId: event.Id,
      amount: event.Data.AmountTotal,
      times: (booking?.times ?? 0) + 1,
    });
  }
}
