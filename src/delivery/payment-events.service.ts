import { Injectable } from '@nestjs/common';
import { MoreThan } from 'typeorm';
import { CompanyService } from '../companies/company.service.js';
import { PaymentsDb } from '../database/payments-db.js';
import { OutboxEvent } from '../entities/index.js';
import { toPaymentEvent } from '../events/payment-event.js';
import type { GetPaymentEvents, PaymentEventsResponse } from './dto/payment-events.dto.js';

/** A company's events by outbox position, a page at a time: the cursor is the last position. */
@Injectable()
export class PaymentEventsService {
  constructor(
    private readonly db: PaymentsDb,
    private readonly companies: CompanyService,
  ) {}

  async page(request: GetPaymentEvents): Promise<PaymentEventsResponse> {
    await this.companies.existing(request.CompanyId);
    const after = Number(request.After ?? 0);
    const rows = await this.db.run((m) =>
      m.getRepository(OutboxEvent).find({
        where: { companyId: request.CompanyId, position: MoreThan(after) },
        order: { position: 'ASC' },
        take: request.Take ?? 100,
      }),
    );
    const last = rows.at(-1)?.position ?? after;
    return { Events: rows.map(toPaymentEvent), Next: String(last) };
  }
}
