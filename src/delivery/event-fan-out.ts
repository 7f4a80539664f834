import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PaymentsDb } from '../database/payments-db.js';
import { OutboxEvent, WebhookEndpointRecord } from '../entities/index.js';
import { DeliveryStore } from './delivery-store.js';
import { DELIVERY_SETTINGS } from './delivery-tokens.js';
import type { DeliverySettings } from './delivery-settings.js';
import { subscribedTo } from './on-payment-event.decorator.js';
import { PaymentEventHandlers } from './payment-event-handlers.js';

interface PendingEvent {
  position: number;
  event_id: string;
  type: string;
  company_id: string;
}

/**
 * Plans each new event's deliveries: one per enabled endpoint of its company subscribed to its
 * type, one per in-process handler of the type, in the transaction that marks it fanned out. The
 * conditional UPDATE makes one instance the planner of an event, however many look at once.
 */
@Injectable()
export class EventFanOut {
  private readonly logger = new Logger('Payments');
  private readonly events: string;
  private readonly endpoints: string;

  constructor(
    private readonly db: PaymentsDb,
    private readonly store: DeliveryStore,
    private readonly handlers: PaymentEventHandlers,
    @Inject(DELIVERY_SETTINGS) private readonly settings: DeliverySettings,
  ) {
    this.events = db.table(OutboxEvent);
    this.endpoints = db.table(WebhookEndpointRecord);
  }

  /** Plans up to `max` events, oldest first; returns how many this instance planned. */
  async fanOut(max = 100): Promise<number> {
    const { rows } = await this.db.run((m) =>
      this.db.sql<PendingEvent>(
        m,
        `SELECT position, event_id, type, company_id FROM ${this.events} WHERE fanned_out = 0 ORDER BY position LIMIT ?`,
        [max],
      ),
    );
    let planned = 0;
    for (const event of rows) {
      try {
        if (await this.db.transaction((m) => this.plan(m, event))) planned++;
      } catch (error) {
        // Tried again next round; the events after it are planned meanwhile.
        this.logger.warn(
          `Planning the deliveries of event ${event.event_id} failed: ${String(error)}`,
        );
      }
    }
    return planned;
  }

  private async plan(m: EntityManager, event: PendingEvent): Promise<boolean> {
    const { affected } = await this.db.sql(
      m,
      `UPDATE ${this.events} SET fanned_out = 1 WHERE position = ? AND fanned_out = 0`,
      [event.position],
    );
    if (affected !== 1) return false;
    const planned = { position: event.position, eventId: event.event_id };
    for (const subscriber of await this.subscribers(m, event)) {
      await this.store.addPending(m, planned, subscriber, this.settings.retryScheduleMs[0]);
    }
    return true;
  }

  private async subscribers(m: EntityManager, event: PendingEvent): Promise<string[]> {
    const { rows } = await this.db.sql<{ id: string; event_types: string }>(
      m,
      `SELECT id, event_types FROM ${this.endpoints} WHERE company_id = ? AND disabled = 0`,
      [event.company_id],
    );
    const endpoints = rows
      .filter((row) => subscribedTo(JSON.parse(row.event_types) as string[], event.type))
      .map((row) => row.id);
    return [...endpoints, ...this.handlers.forType(event.type).map((handler) => handler.key)];
  }
}
