import { DataSource, type QueryRunner } from 'typeorm';
import { parseDatabaseUrl } from '../../app/src/config/database-url.js';
import { typeOrmOptions } from '../../app/src/database/typeorm-options.js';
import {
  isTransientDbError,
  retryOnTransientDbError,
} from '../../src/common/transient-db-error.js';
import { expectRetryLater } from '../support/retry-later.js';
import { salonCheckout, startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../support/test-database.js';
import { TcpProxy, type OutageMode } from '../support/tcp-proxy.js';

// SQLite is a file in this process: it cannot "go away" over the network. MariaDB only.
const describeOnMariaDb = TEST_DB === 'mysql' ? describe : describe.skip;

describeOnMariaDb(`the database goes away and comes back (${TEST_DB})`, () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let t: TestApp;
  beforeAll(async () => {
    db = await createTestDatabase();
    const direct = new URL(db.url);
    proxy = await TcpProxy.start({ host: direct.hostname, port: Number(direct.port || 3306) });
    t = await startTestApp({ db, dbUrl: proxy.rewrite(db.url) });
  });
  afterAll(async () => {
    proxy.restore();
    await t.close();
    await proxy.close();
    await db.drop();
  });

  const create = () =>
    t.http
      .post('/payment/stripe/v1/checkout')
      .set('x-api-key', 'demo-api-key')
      .send(salonCheckout());
  const timed = async <T>(request: () => PromiseLike<T>) => {
    const started = Date.now();
    const res = await request();
    return { res, elapsedMs: Date.now() - started };
  };

  function expectDatabaseUnavailable(res: Parameters<typeof expectRetryLater>[0]): void {
    expectRetryLater(res, 'DatabaseUnavailable');
    expect(JSON.stringify(res.body)).not.toMatch(/SELECT|ECONN|mysql|at \w/i);
  }

  it.each<[OutageMode, number]>([
    // Refused connections fail at once; a blackhole waits for mysql2's connectTimeout (5 s).
    ['refuse', 2_000],
    ['blackhole', 8_000],
  ])(
    '%s: create and /health answer 503 in bounded time, then recover',
    async (mode, boundMs) => {
      await create().expect(200);
      await t.http.get('/health').expect(200, { Status: 'ok' });

      proxy.cut(mode);
      const created = await timed(() => create());
      expectDatabaseUnavailable(created.res);
      expect(created.elapsedMs).toBeLessThan(boundMs);
      const health = await timed(() => t.http.get('/health'));
      expectDatabaseUnavailable(health.res);
      expect(health.elapsedMs).toBeLessThan(boundMs);

      proxy.restore();
      await create().expect(200);
      await t.http.get('/health').expect(200, { Status: 'ok' });
    },
    30_000,
  );
});

describe(`retryOnTransientDbError (${TEST_DB})`, () => {
  let db: TestDatabase;
  const dataSources: DataSource[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const dataSource of dataSources) await dataSource.destroy();
    await db.drop();
  });

  /** A connection of its own; on SQLite without a busy timeout, so a held lock fails at once. */
  async function connect(): Promise<DataSource> {
    const options = { ...typeOrmOptions(parseDatabaseUrl(db.url)) };
    if (options.type === 'better-sqlite3') options.timeout = 0;
    const dataSource = new DataSource(options);
    await dataSource.initialize();
    dataSources.push(dataSource);
    return dataSource;
  }

  let probe: DataSource;
  beforeAll(async () => {
    probe = await connect();
    const engine = TEST_DB === 'mysql' ? ' ENGINE=InnoDB' : '';
    await probe.query(`CREATE TABLE lock_probe (id INT PRIMARY KEY, n INT NOT NULL)${engine}`);
  });
  beforeEach(async () => {
    await probe.query('DELETE FROM lock_probe');
    await probe.query('INSERT INTO lock_probe (id, n) VALUES (1, 0), (2, 0)');
  });
  const counts = async () =>
    ((await probe.query('SELECT n FROM lock_probe ORDER BY id')) as { n: number }[]).map((row) =>
      Number(row.n),
    );
  const bump = (runner: { query(sql: string): Promise<unknown> }, id: number) =>
    runner.query(`UPDATE lock_probe SET n = n + 1 WHERE id = ${id}`);

  (TEST_DB === 'mysql' ? it : it.skip)(
    'a real deadlock (two rows locked in opposite order) is retried and both transactions commit',
    async () => {
      let bothLockedFirst!: () => void;
      const firstLocksHeld = new Promise<void>((resolve) => (bothLockedFirst = resolve));
      let lockedFirst = 0;
      const attempts = { a: 0, b: 0 };
      const retried: unknown[] = [];
      const transfer = (name: 'a' | 'b', first: number, second: number) =>
        retryOnTransientDbError(
          () =>
            probe.transaction(async (manager) => {
              const attempt = ++attempts[name];
              await bump(manager, first);
              if (attempt === 1) {
                if (++lockedFirst === 2) bothLockedFirst();
                await firstLocksHeld;
              }
              await bump(manager, second);
            }),
          {
            attempts: 3,
            onRetry: (error) => {
              retried.push(error);
            },
          },
        );

      await Promise.all([transfer('a', 1, 2), transfer('b', 2, 1)]);

      expect(retried).toHaveLength(1);
      expect(retried[0]).toMatchObject({ driverError: { code: 'ER_LOCK_DEADLOCK' } });
      expect(attempts.a + attempts.b).toBe(3);
      expect(await counts()).toEqual([2, 2]);
    },
  );

  it('a lock held past the retries: bounded attempts, then the transient error surfaces', async () => {
    const holder = await holdLock(await connect());
    try {
      let runs = 0;
      const error = await retryOnTransientDbError(
        () =>
          probe.transaction(async (manager) => {
            runs++;
            if (TEST_DB === 'mysql')
              await manager.query('SET SESSION innodb_lock_wait_timeout = 1');
            await bump(manager, 1);
          }),
        { attempts: 3 },
      ).catch((caught: unknown) => caught);
      expect(isTransientDbError(error)).toBe(true);
      expect(runs).toBe(3);
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
    expect(await counts()).toEqual([0, 0]);
  }, 20_000);

  it('a lock released while retrying: the next attempt commits', async () => {
    const holder = await holdLock(await connect());
    let runs = 0;
    await retryOnTransientDbError(
      () =>
        probe.transaction(async (manager) => {
          runs++;
          if (TEST_DB === 'mysql') await manager.query('SET SESSION innodb_lock_wait_timeout = 1');
          await bump(manager, 1);
        }),
      {
        attempts: 3,
        onRetry: async () => {
          if (holder.isTransactionActive) await holder.commitTransaction();
        },
      },
    );
    await holder.release();
    expect(runs).toBe(2);
    expect(await counts()).toEqual([1, 0]);
  }, 20_000);

  it('a non-transient error is not retried', async () => {
    let runs = 0;
    await expect(
      retryOnTransientDbError(
        () =>
          probe.transaction(async (manager) => {
            runs++;
            await manager.query('INSERT INTO lock_probe (id, n) VALUES (1, 0)');
          }),
        { attempts: 3 },
      ),
    ).rejects.toMatchObject({ driverError: expect.anything() });
    expect(runs).toBe(1);
  });

  /** Another connection holding a write lock on row 1 (on SQLite: the database's write lock). */
  async function holdLock(dataSource: DataSource): Promise<QueryRunner> {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.query('UPDATE lock_probe SET n = n WHERE id = 1');
    return runner;
  }
});
