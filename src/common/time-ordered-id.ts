import { randomFillSync } from 'node:crypto';

/** Random bytes drawn from the CSPRNG in blocks: one system call per 512 ids, not one per id. */
const POOL_BYTES = 16 * 512;
const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

/**
 * A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. New rows land at the end
 * of their primary-key index instead of on a random page, and ids sort by creation time.
 */
export function timeOrderedId(now = Date.now()): string {
  if (offset === POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = pool.subarray(offset, offset + 16);
  offset += 16;
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
