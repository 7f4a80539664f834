/**
 * A gap in the outbox positions younger than this may be a transaction still open (MariaDB hands
 * out auto-increment values at insert, not at commit); an older one is a rollback or a pruned row.
 * Above MariaDB's default lock wait (50 s): no transaction writing an event stays open longer.
 */
export const GAP_SETTLE_MS = 60_000;

export interface VisiblePosition {
  position: number;
  createdAt: Date;
}

/**
 * The highest position up to which every event is visible or never will be: a feed that serves
 * events up to it and resumes after it never skips one committed later. `visible` are the
 * positions after `after` in order (every company's); a gap before a row younger than `settleMs`
 * stops the cursor before the gap.
 */
export function settledUpTo(
  after: number,
  visible: readonly VisiblePosition[],
  now: number,
  settleMs = GAP_SETTLE_MS,
): number {
  let settled = after;
  for (const row of visible) {
    const gap = row.position > settled + 1;
    if (gap && row.createdAt.getTime() > now - settleMs) return settled;
    settled = row.position;
  }
  return settled;
}
