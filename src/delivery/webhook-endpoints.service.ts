import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { redirectUrlProblem } from '../checkout/redirect-url.js';
import { CompanyService } from '../companies/company.service.js';
import { timeOrderedId } from '../common/time-ordered-id.js';
import { PaymentsDb, sqlDateTime } from '../database/payments-db.js';
import {
  Company,
  EventDelivery,
  OutboxEvent,
  WebhookAttempt,
  WebhookEndpointRecord,
} from '../entities/index.js';
import { PaymentsException } from '../errors/payments.exception.js';
import { DeliveryStore } from './delivery-store.js';
import { DELIVERY_SETTINGS } from './delivery-tokens.js';
import { PREVIOUS_SECRET_MS, type DeliverySettings } from './delivery-settings.js';
import type {
  CreateWebhookEndpoint,
  DeleteWebhookEndpoint,
  GetWebhookEndpoint,
  ListWebhookEndpointAttempts,
  ListWebhookEndpoints,
  RecoverWebhookEndpoint,
  ResendWebhookEvent,
  RotateWebhookEndpointSecret,
  UpdateWebhookEndpoint,
} from './dto/webhook-endpoint-requests.dto.js';
import type {
  WebhookAttemptsResponse,
  WebhookEndpoint,
  WebhookEndpointsResponse,
  WebhookRequeueResponse,
} from './dto/webhook-endpoint-responses.dto.js';
import { newWebhookSecret } from './webhook-signature.js';

/**
 * Every event is planned to each of its company's endpoints, and the list answers them all in one
 * page: the cap bounds both.
 */
export const MAX_ENDPOINTS_PER_COMPANY = 100;

interface EndpointRef {
  CompanyId: string;
  Id: string;
}

/** A company's webhook endpoints: BokaMera's contract, plus their attempts log and repairs. */
@Injectable()
export class WebhookEndpointsService {
  private readonly endpoints: string;
  private readonly deliveries: string;
  private readonly companyTable: string;

  constructor(
    private readonly db: PaymentsDb,
    private readonly companies: CompanyService,
    private readonly store: DeliveryStore,
    @Inject(DELIVERY_SETTINGS) private readonly settings: DeliverySettings,
  ) {
    this.endpoints = db.table(WebhookEndpointRecord);
    this.deliveries = db.table(EventDelivery);
    this.companyTable = db.table(Company);
  }

  async create(request: CreateWebhookEndpoint): Promise<WebhookEndpoint> {
    await this.companies.existing(request.CompanyId);
    this.checkUrl(request.Url);
    const now = new Date();
    const record: WebhookEndpointRecord = {
      id: timeOrderedId(),
      companyId: request.CompanyId,
      url: request.Url,
      description: request.Description ?? null,
      disabled: request.Disabled ?? false,
      disabledReason: null,
      eventTypes: JSON.stringify(unique(request.EventTypes)),
      secret: newWebhookSecret(),
      previousSecret: null,
      previousSecretExpiresAt: null,
      failingSince: null,
      createdAt: now,
      updatedAt: now,
    };
    await this.db.transaction(async (m) => {
      await this.checkRoomFor(m, request.CompanyId);
      // A copy: TypeORM writes the database's raw defaults back into what it inserted (0, not false).
      await m.getRepository(WebhookEndpointRecord).insert({ ...record });
    });
    return view(record, true);
  }

  async list(request: ListWebhookEndpoints): Promise<WebhookEndpointsResponse> {
    await this.companies.existing(request.CompanyId);
    const records = await this.db.run((m) =>
      m.getRepository(WebhookEndpointRecord).find({
        where: { companyId: request.CompanyId },
        order: { createdAt: 'ASC', id: 'ASC' },
      }),
    );
    return { Results: records.map((record) => view(record, false)) };
  }

  async get(request: GetWebhookEndpoint): Promise<WebhookEndpoint> {
    return view(await this.find(request), request.IncludeSecret === true);
  }

  async update(request: UpdateWebhookEndpoint): Promise<WebhookEndpoint> {
    const record = await this.find(request);
    if (request.Url !== undefined) this.checkUrl(request.Url);
    const changes: Partial<WebhookEndpointRecord> = { updatedAt: new Date() };
    if (request.Url !== undefined) changes.url = request.Url;
    if (request.EventTypes !== undefined)
      changes.eventTypes = JSON.stringify(unique(request.EventTypes));
    if (request.Description !== undefined) changes.description = request.Description;
    if (request.Disabled !== undefined) {
      changes.disabled = request.Disabled;
      // Enabled again by its owner: its run of failures (and the reason it was stopped) is over.
      if (!request.Disabled) Object.assign(changes, { disabledReason: null, failingSince: null });
    }
    await this.db.run((m) =>
      m.getRepository(WebhookEndpointRecord).update({ id: record.id }, changes),
    );
    return view({ ...record, ...changes }, false);
  }

  async remove(request: DeleteWebhookEndpoint): Promise<void> {
    const record = await this.find(request);
    await this.db.transaction(async (m) => {
      await m.getRepository(WebhookAttempt).delete({ endpointId: record.id });
      await m.getRepository(EventDelivery).delete({ subscriber: record.id });
      await m.getRepository(WebhookEndpointRecord).delete({ id: record.id });
    });
  }

  /** A new secret; the old one keeps signing (next to the new) for 24 hours. */
  async rotate(request: RotateWebhookEndpointSecret): Promise<WebhookEndpoint> {
    const record = await this.find(request);
    const secret = newWebhookSecret();
    await this.db.run((m) =>
      this.db.sql(
        m,
        `UPDATE ${this.endpoints} SET previous_secret = secret, secret = ?, previous_secret_expires_at = ${this.db.nowPlus(PREVIOUS_SECRET_MS)}, updated_at = ? WHERE id = ?`,
        [secret, new Date(), record.id],
      ),
    );
    return view({ ...record, secret }, true);
  }

  async attempts(request: ListWebhookEndpointAttempts): Promise<WebhookAttemptsResponse> {
    const record = await this.find(request);
    const attempts = await this.db.run((m) =>
      m.getRepository(WebhookAttempt).find({
        where: { endpointId: record.id },
        order: { attemptedAt: 'DESC', id: 'DESC' },
        take: request.Take ?? 50,
      }),
    );
    return {
      Results: attempts.map((attempt) => ({
        AttemptedAt: attempt.attemptedAt.toISOString(),
        EventId: attempt.eventId,
        EventType: attempt.eventType,
        StatusCode: attempt.statusCode,
        LatencyMs: attempt.latencyMs,
        ResponseBody: attempt.responseBody,
        Error: attempt.error,
      })),
    };
  }

  /** The event to the endpoint again, now (after one in flight, if any, has finished). */
  async resend(request: ResendWebhookEvent): Promise<WebhookRequeueResponse> {
    const record = await this.find(request);
    const event = await this.db.run((m) =>
      m
        .getRepository(OutboxEvent)
        .findOneBy({ eventId: request.EventId, companyId: record.companyId }),
    );
    if (!event) {
      throw PaymentsException.field(
        'EventNotFound',
        'EventId',
        `Event ${request.EventId} does not exist`,
      );
    }
    await this.db.transaction(async (m) => {
      if (await this.store.addPending(m, event, record.id, 0)) return;
      await this.db.sql(
        m,
        // An attempt in flight keeps its claim (one at a time per event and endpoint) and is
        // followed by the resend once it is recorded.
        `UPDATE ${this.deliveries} SET state = 'pending', attempts = 0, next_attempt_at = ${this.db.now()}, resend_requested = CASE WHEN claimed_until > ${this.db.now()} THEN 1 ELSE 0 END WHERE event_id = ? AND subscriber = ?`,
        [event.eventId, record.id],
      );
    });
    return { Queued: 1 };
  }

  /** Every delivery to the endpoint given up since `Since`, queued again from the start. */
  async recover(request: RecoverWebhookEndpoint): Promise<WebhookRequeueResponse> {
    const record = await this.find(request);
    const { affected } = await this.db.run((m) =>
      this.db.sql(
        m,
        `UPDATE ${this.deliveries} SET state = 'pending', attempts = 0, next_attempt_at = ${this.db.now()} WHERE subscriber = ? AND state = 'failed' AND created_at >= ?`,
        [record.id, sqlDateTime(new Date(request.Since))],
      ),
    );
    return { Queued: affected };
  }

  private async find({ CompanyId, Id }: EndpointRef): Promise<WebhookEndpointRecord> {
    const record = await this.db.run((m) =>
      m.getRepository(WebhookEndpointRecord).findOneBy({ id: Id, companyId: CompanyId }),
    );
    if (!record) {
      throw PaymentsException.field(
        'WebhookEndpointNotFound',
        'Id',
        `Webhook endpoint ${Id} does not exist`,
      );
    }
    return record;
  }

  /** Counted under the company's row lock (SQLite runs one transaction at a time anyway). */
  private async checkRoomFor(m: EntityManager, companyId: string): Promise<void> {
    await this.db.sql(m, `SELECT id FROM ${this.companyTable} WHERE id = ?${this.db.forUpdate()}`, [
      companyId,
    ]);
    const count = await m.getRepository(WebhookEndpointRecord).count({ where: { companyId } });
    if (count >= MAX_ENDPOINTS_PER_COMPANY)
      throw new PaymentsException(
        'WebhookEndpointLimitReached',
        `A company has at most ${MAX_ENDPOINTS_PER_COMPANY} webhook endpoints; delete one first`,
      );
  }

  private checkUrl(url: string): void {
    const problem = redirectUrlProblem(url, {
      production: this.settings.production,
      allowlist: null,
    });
    if (problem) throw PaymentsException.field('ValidationException', 'Url', `Url ${problem}`);
  }
}

function view(record: WebhookEndpointRecord, withSecret: boolean): WebhookEndpoint {
  return {
    Id: record.id,
    Url: record.url,
    Description: record.description,
    Disabled: record.disabled,
    EventTypes: JSON.parse(record.eventTypes) as string[],
    ...(withSecret ? { Secret: record.secret } : {}),
  };
}

function unique(types: string[]): string[] {
  return [...new Set(types)];
}
