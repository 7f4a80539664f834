import { mariaDbPlanProblems, sqlitePlanProblems, StatementRecorder } from './query-plans.js';

describe('query plan checks', () => {
  it('SQLite: a full scan and a temporary B-tree are problems; index searches are not', () => {
    expect(
      sqlitePlanProblems([
        { detail: 'SEARCH c USING INDEX IX_checkouts_payable_created (payable_id=?)' },
        {
          detail:
            'SEARCH payments_payables USING INDEX sqlite_autoindex_payments_payables_1 (id=?)',
        },
        { detail: 'SCAN c USING INDEX IX_checkouts_payable_created' },
        { detail: 'SCAN CONSTANT ROW' },
      ]),
    ).toEqual([]);
    expect(
      sqlitePlanProblems([
        { detail: 'SCAN payments_stripe_events' },
        { detail: 'USE TEMP B-TREE FOR ORDER BY' },
      ]),
    ).toEqual([
      'full scan: SCAN payments_stripe_events',
      'temporary B-tree: USE TEMP B-TREE FOR ORDER BY',
    ]);
  });

  it('MariaDB: type ALL, a filesort and a temporary table are problems; ref and range are not', () => {
    expect(
      mariaDbPlanProblems([
        { table: 'c', type: 'ref', key: 'IX_checkouts_payable_created', Extra: 'Using where' },
        {
          table: 'payments_events',
          type: 'range',
          key: 'IX_events_fanned_out_created',
          Extra: null,
        },
        { table: '<subquery2>', type: 'ALL', Extra: null },
      ]),
    ).toEqual([]);
    expect(
      mariaDbPlanProblems([
        { table: 'c', type: 'ALL', rows: 5000, Extra: 'Using where; Using filesort' },
        { table: 'e', type: 'index', Extra: 'Using temporary' },
      ]),
    ).toEqual([
      'full scan of c (5000 rows)',
      'filesort on c: Using where; Using filesort',
      'temporary table on e: Using temporary',
    ]);
  });

  it('records each distinct read and write once, only while recording', () => {
    const recorder = new StatementRecorder();
    recorder.logQuery('SELECT 1 FROM t WHERE a = ?', [1]);
    recorder.recording = true;
    recorder.logQuery('SELECT 1 FROM t WHERE a = ?', [2]);
    recorder.logQuery('SELECT 1 FROM t WHERE a = ?', [3]);
    recorder.logQuery('INSERT INTO t VALUES (?)', [4]);
    recorder.logQuery('BEGIN TRANSACTION');
    recorder.logQuery('DELETE FROM t WHERE a = ?', [5]);
    expect(recorder.statements).toEqual([
      { sql: 'SELECT 1 FROM t WHERE a = ?', parameters: [2] },
      { sql: 'DELETE FROM t WHERE a = ?', parameters: [5] },
    ]);
  });
});
