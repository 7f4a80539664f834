import { timeOrderedId } from './time-ordered-id.js';

describe('timeOrderedId', () => {
  it('is a version 7, variant 1 UUID', () => {
    expect(timeOrderedId()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('sorts by the time it was made', () => {
    const ids = [1_700_000_000_000, 1_700_000_000_001, 1_800_000_000_000].map((ms) =>
      timeOrderedId(ms),
    );
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0].replace(/-/g, '').slice(0, 12)).toBe(
      (1_700_000_000_000).toString(16).padStart(12, '0'),
    );
  });

  it('differs between two ids of the same millisecond', () => {
    expect(timeOrderedId(1)).not.toBe(timeOrderedId(1));
  });
});
