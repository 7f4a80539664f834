import { Injectable } from '@nestjs/common';
import { Between, MoreThan } from 'typeorm';
import { CompanyService } from '../companies/company.service.js';
import { PaymentsDb } from '../database/payments-db.js';
import { OutboxEvent } from '../entities/index.js';
import { toPaymentEvent } from '../events/payment-event.js';
import type { GetPaymentEvents, PaymentEventsResponse } from './dto/payment-events.dto.js';
import { settledUpTo } from './settled-positions.js';

/** How many positions past the cursor gaps are looked for, at most (every company's events). */
const SCAN_POSITIONS = 10_000;

/**
 * A company's events by outbox position, a page at a time: the cursor is a position. A page never
 * goes past a position that may still commit (see settledUpTo), so a poller misses nothing.
 */
@Injectable()
export class PaymentEventsService {
  constructor(
    private readonly db: PaymentsDb,
    private readonly companies: CompanyService,
  ) {}

  async page(request: GetPaymentEvents): Promise<PaymentEventsResponse> {
    await this.companies.existing(request.CompanyId);
    const after = Number(request.After ?? 0);
    // One transaction: both reads see the same committed events.
    const served = await this.db.transaction(async (m) => {
      const events = m.getRepository(OutboxEvent);
      const rows = await events.find({
        where: { companyId: request.CompanyId, position: MoreThan(after) },
        order: { position: 'ASC' },
        take: request.Take ?? 100,
      });
      const last = rows.at(-1)?.position;
      if (last === undefined) return rows;
      const visible = await events.find({
        select: { position: true, createdAt: true },
        where: { position: Between(after + 1, last) },
        order: { position: 'ASC' },
        take: SCAN_POSITIONS,
      });
      const settled = settledUpTo(after, visible, Date.now());
      return rows.filter((row) => row.position <= settled);
    });
    return { Events: served.map(toPaymentEvent), Next: String(served.at(-1)?.position ?? after) };
  }
}
