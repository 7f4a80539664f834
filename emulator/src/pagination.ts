export interface Page<T> {
  data: T[];
  hasMore: boolean;
}

export interface PageRequest<T> {
  limit: number;
  /** index (in creation order) of the `starting_after` object */
  startingAfter?: number;
  /** index (in creation order) of the `ending_before` object */
  endingBefore?: number;
  matches?: (item: T) => boolean;
}

/** Stripe list semantics over a creation-ordered array: newest first, cursor-based. */
export function newestFirstPage<T>(ordered: readonly T[], req: PageRequest<T>): Page<T> {
  const matches = req.matches ?? (() => true);
  const data: T[] = [];
  if (req.endingBefore !== undefined) {
    // Objects newer than the cursor, closest to it first, then flipped back to newest-first.
    for (let i = req.endingBefore + 1; i < ordered.length && data.length <= req.limit; i++) {
      if (matches(ordered[i])) data.push(ordered[i]);
    }
    const hasMore = data.length > req.limit;
    return { data: data.slice(0, req.limit).reverse(), hasMore };
  }
  const start = req.startingAfter !== undefined ? req.startingAfter - 1 : ordered.length - 1;
  for (let i = start; i >= 0 && data.length <= req.limit; i--) {
    if (matches(ordered[i])) data.push(ordered[i]);
  }
  const hasMore = data.length > req.limit;
  return { data: data.slice(0, req.limit), hasMore };
}
