import { PaymentsDb } from '../database/payments-db.js';
import { EventDelivery, OutboxEvent, StripeEvent, WebhookAttempt } from '../entities/index.js';

/**
 * One kind of row retention removes: those of `table` matching `where`, keyed by `key`. `where`
 * is an SQL condition with one `?`, the cutoff date (rows older than the retention age), served by
 * an index (each batch reads at most `batchSize` keys from it), and once true of a row stays true.
 */
export interface PruneStep {
  /** Names the step in the report and the logs. */
  name: string;
  /** Quoted, prefix included (`PaymentsDb.table`). */
  table: string;
  key: string;
  where: string;
}

/**
 * What retention prunes, in order (rows that refer to others go first). Checkouts and payables
 * are never pruned: they are the record of every payment.
 */
export function pruneSteps(db: PaymentsDb): PruneStep[] {
  const events = db.table(OutboxEvent);
  const deliveries = db.table(EventDelivery);
  return [
    // Kept only to recognise Stripe's retries of an event, which end after a few days.
    {
      name: 'stripeEvents',
      table: db.table(StripeEvent),
      key: 'id',
      where: 'processed_at < ?',
    },
    // The attempts log of webhook deliveries.
    {
      name: 'webhookAttempts',
      table: db.table(WebhookAttempt),
      key: 'id',
      where: 'attempted_at < ?',
    },
    // A delivery still pending is work to do, however old it is. (One state a step: an equality
    // and a range keep both databases on the index however many rows match.)
    {
      name: 'deliveredDeliveries',
      table: deliveries,
      key: 'id',
      where: "state = 'delivered' AND created_at < ?",
    },
    {
      name: 'failedDeliveries',
      table: deliveries,
      key: 'id',
      where: "state = 'failed' AND created_at < ?",
    },
    // An outbox event not fanned out yet still has deliveries to plan, and one with a delivery
    // pending (retried, or resent lately) is still to be sent. The few pending deliveries are
    // read once (NOT IN), so the age index still serves the events.
    {
      name: 'outboxEvents',
      table: events,
      key: 'position',
      where: `fanned_out = 1 AND created_at < ? AND event_id NOT IN (SELECT event_id FROM ${deliveries} WHERE state = 'pending')`,
    },
  ];
}

/** The keys of one batch. MariaDB allows no LIMIT in an IN subquery: keys are read first. */
export function selectBatchSql(step: PruneStep, batchSize: number): string {
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error('batchSize: a positive integer');
  return `SELECT ${step.key} AS prune_key FROM ${step.table} WHERE ${step.where} LIMIT ${batchSize}`;
}

/**
 * Deletes the batch's rows by key alone: the keys were read by `where` in the same transaction,
 * and a row old enough stays old enough. (With `where` repeated, both databases chose to walk
 * its index over every old row, not the batch's keys: each batch cost more the more was left.)
 */
export function deleteBatchSql(step: PruneStep, keys: number): string {
  const placeholders = Array(keys).fill('?').join(', ');
  return `DELETE FROM ${step.table} WHERE ${step.key} IN (${placeholders})`;
}
