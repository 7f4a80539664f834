/** ServiceStack binds request properties case-insensitively; guards see the raw body, so look it up that way. */
export function findField(source: unknown, name: string): unknown {
  return findFields(source, name)[0];
}

/** Every value of a property in any spelling: a request may carry it more than once. */
export function findFields(source: unknown, name: string): unknown[] {
  if (!source || typeof source !== 'object') return [];
  const wanted = name.toLowerCase();
  return Object.entries(source)
    .filter(([key]) => key.toLowerCase() === wanted)
    .map(([, value]) => value);
}
