/** ServiceStack binds request properties case-insensitively; guards see the raw body, so look it up that way. */
export function findField(source: unknown, name: string): unknown {
  if (!source || typeof source !== 'object') return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(source)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}
