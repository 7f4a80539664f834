import { Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { TtlCache } from '../common/ttl-cache.js';
import { PaymentsDb } from '../database/payments-db.js';
import { ApiKey } from '../entities/index.js';
import { PAYMENTS_OPTIONS } from '../payments.module-definition.js';
import type { PaymentsModuleOptions } from '../payments.options.js';

export interface ApiCaller {
  keyId: number;
  /** null: a platform key, allowed for every company. */
  companyId: string | null;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

@Injectable()
export class ApiKeyService {
  /** Keyed by the key's hash; a revoked key stops working within the cache ttl. */
  private readonly cache: TtlCache<ApiKey | null>;

  constructor(
    private readonly db: PaymentsDb,
    @Inject(PAYMENTS_OPTIONS) options: PaymentsModuleOptions,
  ) {
    this.cache = new TtlCache(options.settingsCacheTtlMs ?? 10_000);
  }

  invalidate(): void {
    this.cache.invalidate();
  }

  /**
   * Looked up by its SHA-256, so the lookup time does not depend on how much of a guess matches;
   * the stored hash is still compared in constant time.
   */
  async identify(key: string): Promise<ApiCaller | undefined> {
    const hash = hashApiKey(key);
    const row = await this.cache.get(hash, () =>
      this.db.run((m) =>
        m.getRepository(ApiKey).findOne({ where: { keyHash: hash, active: true } }),
      ),
    );
    if (!row || !timingSafeEqual(Buffer.from(row.keyHash), Buffer.from(hash))) return undefined;
    return { keyId: row.id, companyId: row.companyId };
  }
}
