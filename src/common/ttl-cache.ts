/**
 * A small read-through cache for settings that change rarely (companies, prices, API keys).
 * Every instance holds its own copy, so a change made in the database shows after at most ttlMs;
 * invalidate() makes it immediate on this instance. Concurrent misses share one load.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > now) return hit.value;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const value = load();
    this.entries.set(key, { value, expiresAt: this.ttlMs > 0 ? now + this.ttlMs : 0 });
    value.catch(() => this.entries.delete(key));
    return value;
  }

  invalidate(key?: string): void {
    if (key === undefined) this.entries.clear();
    else this.entries.delete(key);
  }
}
