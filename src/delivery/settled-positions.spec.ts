import { settledUpTo } from './settled-positions.js';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const at = (position: number, secondsAgo: number) => ({
  position,
  createdAt: new Date(NOW - secondsAgo * 1000),
});

describe('settledUpTo', () => {
  it('runs to the last position when there is no gap', () => {
    expect(settledUpTo(4, [at(5, 1), at(6, 1), at(7, 0)], NOW)).toBe(7);
  });

  it('stops before a recent gap: the missing position may still commit', () => {
    expect(settledUpTo(4, [at(5, 1), at(7, 1), at(8, 0)], NOW)).toBe(5);
    expect(settledUpTo(4, [at(6, 1)], NOW)).toBe(4);
  });

  it('passes an old gap: a rollback, or rows retention pruned', () => {
    expect(settledUpTo(0, [at(5000, 120), at(5002, 90), at(5003, 1)], NOW)).toBe(5003);
  });

  it('passes a gap once the row after it is older than the settle time', () => {
    expect(settledUpTo(4, [at(7, 61)], NOW)).toBe(7);
    expect(settledUpTo(4, [at(7, 59)], NOW)).toBe(4);
  });

  it('stays where it was with nothing visible', () => {
    expect(settledUpTo(9, [], NOW)).toBe(9);
  });
});
