import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { timeOrderedId } from '../common/time-ordered-id.js';
import { PaymentsDb } from '../database/payments-db.js';
import {
  EventDelivery,
  OutboxEvent,
  WebhookAttempt,
  WebhookEndpointRecord,
} from '../entities/index.js';
import type { AttemptResult, DeliveryDecision } from './delivery-outcome.js';
import { FAILING_DISABLE_MS } from './delivery-settings.js';
import type { HttpAttempt } from './http-attempt.js';

export interface Claim {
  deliveryId: string;
  token: string;
}

export interface ClaimedDelivery extends Claim {
  subscriber: string;
  attempts: number;
  event: OutboxEvent;
}

export interface EndpointTarget {
  id: string;
  url: string;
  disabled: boolean;
  /** The current secret, then the previous one while it is still valid. */
  secrets: string[];
}

/**
 * The deliveries table as a work queue shared by every instance: a delivery is claimed with a
 * conditional UPDATE (one instance wins, by the database's clock), and its outcome is recorded
 * only by the holder of the claim (fenced by its token).
 */
@Injectable()
export class DeliveryStore {
  private readonly deliveries: string;
  private readonly events: string;
  private readonly endpoints: string;

  constructor(private readonly db: PaymentsDb) {
    this.deliveries = db.table(EventDelivery);
    this.events = db.table(OutboxEvent);
    this.endpoints = db.table(WebhookEndpointRecord);
  }

  /**
   * A pending delivery of the event to the subscriber, due in `dueInMs`, unless there is one
   * already (fan-out and a resend may both plan it): true when this call added it.
   */
  async addPending(
    m: EntityManager,
    event: { position: number; eventId: string },
    subscriber: string,
    dueInMs: number,
  ): Promise<boolean> {
    const insert = this.db.kind === 'mysql' ? 'INSERT IGNORE' : 'INSERT OR IGNORE';
    const { affected } = await this.db.sql(
      m,
      `${insert} INTO ${this.deliveries} (id, event_position, event_id, subscriber, state, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, 'pending', 0, ${this.db.nowPlus(dueInMs)}, ${this.db.now()})`,
      [timeOrderedId(), event.position, event.eventId, subscriber],
    );
    return affected === 1;
  }

  /** Up to `max` due deliveries, each now this instance's for `claimMs`. */
  async claimDue(max: number, claimMs: number): Promise<Claim[]> {
    const claimable = `state = 'pending' AND next_attempt_at <= ${this.db.now()} AND (claimed_until IS NULL OR claimed_until <= ${this.db.now()})`;
    const { rows } = await this.db.run((m) =>
      this.db.sql<{ id: string }>(
        m,
        `SELECT id FROM ${this.deliveries} WHERE ${claimable} ORDER BY next_attempt_at LIMIT ?`,
        [max],
      ),
    );
    const claims: Claim[] = [];
    for (const { id } of rows) {
      const token = timeOrderedId();
      const { affected } = await this.db.run((m) =>
        this.db.sql(
          m,
          `UPDATE ${this.deliveries} SET claim_token = ?, claimed_until = ${this.db.nowPlus(claimMs)} WHERE id = ? AND ${claimable}`,
          [token, id],
        ),
      );
      if (affected === 1) claims.push({ deliveryId: id, token });
    }
    return claims;
  }

  async load(claim: Claim): Promise<ClaimedDelivery | undefined> {
    return this.db.run(async (m) => {
      const delivery = await m
        .getRepository(EventDelivery)
        .findOneBy({ id: claim.deliveryId, claimToken: claim.token });
      if (!delivery) return undefined;
      const event = await m
        .getRepository(OutboxEvent)
        .findOneBy({ position: delivery.eventPosition });
      if (!event) {
        // Pruned by retention (its deliveries were settled then): nothing left to send.
        await this.db.sql(
          m,
          `UPDATE ${this.deliveries} SET state = 'failed', claim_token = NULL, claimed_until = NULL WHERE id = ? AND claim_token = ?`,
          [claim.deliveryId, claim.token],
        );
        return undefined;
      }
      return { ...claim, subscriber: delivery.subscriber, attempts: delivery.attempts, event };
    });
  }

  async endpoint(id: string): Promise<EndpointTarget | undefined> {
    const { rows } = await this.db.run((m) =>
      this.db.sql<{
        id: string;
        url: string;
        disabled: number | boolean;
        secret: string;
        previous_secret: string | null;
        previous_valid: number | null;
      }>(
        m,
        `SELECT id, url, disabled, secret, previous_secret, CASE WHEN previous_secret_expires_at > ${this.db.now()} THEN 1 ELSE 0 END AS previous_valid FROM ${this.endpoints} WHERE id = ?`,
        [id],
      ),
    );
    const row = rows[0];
    if (!row) return undefined;
    const previous = row.previous_secret && Number(row.previous_valid) === 1;
    return {
      id: row.id,
      url: row.url,
      disabled: Boolean(Number(row.disabled)),
      secrets: previous ? [row.secret, row.previous_secret!] : [row.secret],
    };
  }

  /**
   * The attempt's outcome, if the claim is still ours: the delivery's next state, the attempts
   * log, and the endpoint's health (disabled on a 410, or after five days of failures).
   */
  async record(
    claimed: ClaimedDelivery,
    decision: DeliveryDecision,
    result: AttemptResult,
    endpoint?: { id: string; attempt: HttpAttempt; attemptedAt: Date },
  ): Promise<boolean> {
    return this.db.transaction(async (m) => {
      const next =
        decision.state === 'pending' ? this.db.nowPlus(decision.delayMs ?? 0) : 'next_attempt_at';
      const delivered = decision.state === 'delivered' ? this.db.now() : 'NULL';
      const mine = 'WHERE id = ? AND claim_token = ?';
      const released = 'claim_token = NULL, claimed_until = NULL, last_status = ?';
      const ids = [result.status, claimed.deliveryId, claimed.token];
      const { affected } = await this.db.sql(
        m,
        `UPDATE ${this.deliveries} SET state = ?, attempts = attempts + 1, next_attempt_at = ${next}, delivered_at = ${delivered}, ${released} ${mine} AND resend_requested = 0`,
        [decision.state, ...ids],
      );
      // A resend came in during the attempt: whatever it came to, the event goes again, now.
      const resent =
        affected === 1
          ? 0
          : (
              await this.db.sql(
                m,
                `UPDATE ${this.deliveries} SET state = 'pending', attempts = 0, next_attempt_at = ${this.db.now()}, resend_requested = 0, ${released} ${mine}`,
                ids,
              )
            ).affected;
      if (affected !== 1 && resent !== 1) return false;
      if (endpoint) {
        await this.logAttempt(m, claimed, endpoint.id, endpoint.attempt, endpoint.attemptedAt);
        await this.updateHealth(m, endpoint.id, result.delivered, decision.disableEndpoint);
      }
      return true;
    });
  }

  /** Keeps a claim this instance's while it works (a handler may run longer than a claim). */
  async extend(claim: Claim, claimMs: number): Promise<void> {
    await this.db.run((m) =>
      this.db.sql(
        m,
        `UPDATE ${this.deliveries} SET claimed_until = ${this.db.nowPlus(claimMs)} WHERE id = ? AND claim_token = ?`,
        [claim.deliveryId, claim.token],
      ),
    );
  }

  /** Gives a claim back unattempted (the instance is stopping): due again at once. */
  async release(claim: Claim): Promise<void> {
    await this.db.run((m) =>
      this.db.sql(
        m,
        `UPDATE ${this.deliveries} SET claim_token = NULL, claimed_until = NULL WHERE id = ? AND claim_token = ?`,
        [claim.deliveryId, claim.token],
      ),
    );
  }

  private async logAttempt(
    m: EntityManager,
    claimed: ClaimedDelivery,
    endpointId: string,
    attempt: HttpAttempt,
    attemptedAt: Date,
  ): Promise<void> {
    await m.getRepository(WebhookAttempt).insert({
      id: timeOrderedId(),
      deliveryId: claimed.deliveryId,
      endpointId,
      eventId: claimed.event.eventId,
      eventType: claimed.event.type,
      attemptedAt,
      statusCode: attempt.status,
      latencyMs: attempt.latencyMs,
      responseBody: attempt.answer,
      error: attempt.error?.slice(0, 500) ?? null,
    });
  }

  private async updateHealth(
    m: EntityManager,
    endpointId: string,
    delivered: boolean,
    gone: boolean | undefined,
  ): Promise<void> {
    const sql = (query: string, reason?: string) =>
      this.db.sql(m, query, reason ? [reason, endpointId] : [endpointId]);
    if (delivered) {
      await sql(
        `UPDATE ${this.endpoints} SET failing_since = NULL WHERE id = ? AND failing_since IS NOT NULL`,
      );
      return;
    }
    await sql(
      `UPDATE ${this.endpoints} SET failing_since = ${this.db.now()} WHERE id = ? AND failing_since IS NULL`,
    );
    const disable = `UPDATE ${this.endpoints} SET disabled = 1, disabled_reason = ?, updated_at = ${this.db.now()} WHERE id = ? AND disabled = 0`;
    if (gone) await sql(disable, 'gone');
    else
      await sql(
        `${disable} AND failing_since <= ${this.db.nowMinus(FAILING_DISABLE_MS)}`,
        'failing',
      );
  }
}
