/** Deeper than any of our DTOs: class-transformer recurses, so a hostile body must stop here. */
export const MAX_BODY_DEPTH = 8;

export function exceedsDepth(value: unknown, maxDepth = MAX_BODY_DEPTH): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!;
    if (!node || typeof node !== 'object') continue;
    if (depth >= maxDepth) return true;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return false;
}
