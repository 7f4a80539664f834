import { deleteBatchSql, selectBatchSql, type PruneStep } from './prune-steps.js';

const step: PruneStep = { name: 'x', table: '`p_x`', key: 'id', where: 'done_at < ?' };

describe('prune statements', () => {
  it('reads at most one batch of keys', () => {
    expect(selectBatchSql(step, 25)).toBe(
      'SELECT id AS prune_key FROM `p_x` WHERE done_at < ? LIMIT 25',
    );
  });

  it('refuses a batch size that is not a positive integer (it is written into the SQL)', () => {
    expect(() => selectBatchSql(step, 0)).toThrow('batchSize');
    expect(() => selectBatchSql(step, 2.5)).toThrow('batchSize');
  });

  it('deletes by key alone, so the primary key serves it', () => {
    expect(deleteBatchSql(step, 3)).toBe('DELETE FROM `p_x` WHERE id IN (?, ?, ?)');
  });
});
