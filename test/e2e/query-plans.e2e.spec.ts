import {
  Article,
  ArticlePrice,
  Checkout,
  Company,
  EventDelivery,
  OutboxEvent,
  Payable,
  StripeEvent,
  WebhookAttempt,
  WebhookEndpointRecord,
} from '../../src/index.js';
import { SQLITE_CACHE_KIB } from '../../app/src/database/typeorm-options.js';
import { analyze, planProblems, StatementRecorder } from '../support/query-plans.js';
import { QUERY_PATHS } from '../support/query-paths.js';
import { seedHistory, type History } from '../support/seed-history.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { TEST_DB } from '../support/test-database.js';

/**
 * Every statement the service sends on its paths, explained by the database on a seeded,
 * analyzed database: none may read a whole table, sort in a filesort or build a temporary
 * B-tree, so each path costs the same with a thousand rows or a billion.
 */
describe(`query plans over a database with history (${TEST_DB})`, () => {
  const recorder = new StatementRecorder();
  let t: TestApp;
  let history: History;

  beforeAll(async () => {
    t = await startTestApp({
      sqlLogger: recorder,
      module: {
        rateLimit: { perKey: 0, perPayable: 0 },
        retention: { intervalMs: 0 },
        webhooks: { pollIntervalMs: 50 },
      },
    });
    history = await seedHistory(t.dataSource);
    await analyze(
      t.dataSource,
      [
        Company,
        Article,
        ArticlePrice,
        Payable,
        Checkout,
        StripeEvent,
        OutboxEvent,
        EventDelivery,
        WebhookAttempt,
        WebhookEndpointRecord,
      ].map((e) => t.dataSource.getMetadata(e).tableName),
    );
  }, 120_000);
  afterAll(() => t.close());

  (TEST_DB === 'sqlite' ? it : it.skip)('SQLite: its page cache is sized on purpose', async () => {
    const [row] = (await t.dataSource.query('PRAGMA cache_size')) as { cache_size: number }[];
    expect(row.cache_size).toBe(-SQLITE_CACHE_KIB);
  });

  it('the check itself: a statement no index serves is caught on this database', async () => {
    const checkouts = t.dataSource.driver.escape(t.dataSource.getMetadata(Checkout).tableName);
    const problems = await planProblems(t.dataSource, {
      sql: `SELECT id FROM ${checkouts} WHERE amount_total = ? ORDER BY url`,
      parameters: [45000],
    });
    expect(problems).toEqual([
      expect.stringMatching(/full scan/),
      expect.stringMatching(/temporary B-tree|filesort/),
    ]);
  });

  it.each(QUERY_PATHS.map((path) => [path.name, path] as const))(
    '%s: every statement is served by an index',
    async (_, path) => {
      recorder.reset();
      recorder.recording = true;
      try {
        await path.drive(t, history);
      } finally {
        recorder.recording = false;
      }
      expect(recorder.statements.length).toBeGreaterThan(0);
      const problems: string[] = [];
      for (const statement of recorder.statements) {
        const found = await planProblems(t.dataSource, statement);
        if (found.length > 0) problems.push(`${statement.sql}\n    ${found.join('\n    ')}`);
      }
      expect(problems).toEqual([]);
    },
  );
});
