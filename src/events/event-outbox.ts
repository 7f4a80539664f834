import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { timeOrderedId } from '../common/time-ordered-id.js';
import { PaymentsDb } from '../database/payments-db.js';
import { Payable, OutboxEvent, type Checkout, type ExpireReason } from '../entities/index.js';
import type { PaymentEventData, PaymentEventType } from './payment-event.js';

/**
 * Writes events into the outbox table, inside the caller's transaction: the one that makes the
 * change the event tells of. Each takes the payable's next Sequence from its row, so two changes
 * of one payable (on any instance or node) are ordered, and conflict rather than interleave.
 */
@Injectable()
export class EventOutbox {
  private readonly payables: string;

  constructor(private readonly db: PaymentsDb) {
    this.payables = db.table(Payable);
  }

  async add(
    manager: EntityManager,
    type: PaymentEventType,
    checkout: Checkout,
    reason: ExpireReason | null = null,
  ): Promise<void> {
    await this.db.sql(
      manager,
      `UPDATE ${this.payables} SET event_sequence = event_sequence + 1 WHERE id = ?`,
      [checkout.payableId],
    );
    const { rows } = await this.db.sql<{ sequence: number; reference: string }>(
      manager,
      `SELECT event_sequence AS sequence, internal_reference_id AS reference FROM ${this.payables} WHERE id = ?${this.db.forUpdate()}`,
      [checkout.payableId],
    );
    const data: PaymentEventData = {
      CheckoutId: checkout.id,
      SessionId: checkout.stripeSessionId,
      PaymentIntentId: checkout.paymentIntentId,
      AmountTotal: checkout.amountTotal,
      Currency: checkout.currency.toUpperCase(),
      CustomerEmail: checkout.customerEmail,
      Reason: reason,
    };
    await manager.getRepository(OutboxEvent).insert({
      eventId: timeOrderedId(),
      type,
      companyId: checkout.companyId,
      payableId: checkout.payableId,
      internalReferenceId: rows[0].reference,
      sequence: Number(rows[0].sequence),
      data: JSON.stringify(data),
      fannedOut: false,
      createdAt: new Date(),
    });
  }
}
