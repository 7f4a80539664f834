import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Repository } from 'typeorm';
import { ApiKey } from '../entities/index.js';

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
  constructor(@InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>) {}

  /**
   * Looked up by its SHA-256, so the lookup time does not depend on how much of a guess matches;
   * the stored hash is still compared in constant time.
   */
  async identify(key: string): Promise<ApiCaller | undefined> {
    const hash = hashApiKey(key);
    const row = await this.keys.findOne({ where: { keyHash: hash, active: true } });
    if (!row || !timingSafeEqual(Buffer.from(row.keyHash), Buffer.from(hash))) return undefined;
    return { keyId: row.id, companyId: row.companyId };
  }
}
