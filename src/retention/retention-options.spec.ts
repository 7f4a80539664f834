import { retentionCutoff, retentionSettings } from './retention-options.js';

describe('retention settings', () => {
  it('defaults to 90 days, hourly, 500 rows a batch', () => {
    expect(retentionSettings()).toEqual({
      retentionDays: 90,
      intervalMs: 3_600_000,
      batchSize: 500,
    });
  });

  it('keeps what it is given, 0 turning the job off', () => {
    expect(retentionSettings({ retentionDays: 7, intervalMs: 0, batchSize: 10 })).toEqual({
      retentionDays: 7,
      intervalMs: 0,
      batchSize: 10,
    });
  });

  it.each([
    [{ retentionDays: 0 }, 'retention.retentionDays'],
    [{ retentionDays: 1.5 }, 'retention.retentionDays'],
    [{ intervalMs: -1 }, 'retention.intervalMs'],
    [{ batchSize: 0 }, 'retention.batchSize'],
    [{ batchSize: 10_001 }, 'retention.batchSize'],
  ])('refuses %j', (options, field) => {
    expect(() => retentionSettings(options)).toThrow(field);
  });

  it('cuts off whole days before now', () => {
    const now = new Date('2026-03-31T12:00:00.000Z');
    expect(retentionCutoff(now, 90).toISOString()).toBe('2025-12-31T12:00:00.000Z');
  });
});
