import { DataSource } from 'typeorm';
import { parseDatabaseUrl } from '../../app/src/config/database-url.js';
import { schemaToolOptions, typeOrmOptions } from '../../app/src/database/typeorm-options.js';
import { hashApiKey } from '../../src/auth/api-key.service.js';
import { InitialPaymentsSchema1764000000000 } from '../../src/migrations/1764000000000-InitialPaymentsSchema.js';
import { ByteExactIdentifiers1764100000000 } from '../../src/migrations/1764100000000-ByteExactIdentifiers.js';
import {
  ApiKey,
  Article,
  ArticlePrice,
  Checkout,
  Company,
  Payable,
  PAYMENTS_ENTITIES,
  PAYMENTS_MIGRATIONS,
  paymentsEntities,
  StripeEvent,
} from '../../src/index.js';
import {
  createTestDatabase,
  migratedDataSource,
  TEST_DB,
  type TestDatabase,
} from '../support/test-database.js';

/** Collations exist on MariaDB only; on SQLite these tests are reported as skipped. */
const onMariaDb = TEST_DB === 'mysql' ? it : it.skip;

/** What `npm run migration:generate` would write for this database: nothing, when it matches. */
async function pendingSchemaChanges(url: string, options: { entityPrefix?: string } = {}) {
  const cli = new DataSource({ ...(await schemaToolOptions(parseDatabaseUrl(url))), ...options });
  await cli.initialize();
  try {
    const log = await cli.driver.createSchemaBuilder().log();
    return log.upQueries.map((query) => query.query);
  } finally {
    await cli.destroy();
  }
}

describe(`migrations (${TEST_DB})`, () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  const now = new Date();
  const companyId = '11111111-1111-4111-8111-111111111111';

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await migratedDataSource(db.url);
    await dataSource.getRepository(Company).insert({
      id: companyId,
      name: 'Unique Co',
      stripeCheckoutEnabled: true,
      stripeAccountId: 'acct_1',
      defaultCurrency: 'SEK',
      createdAt: now,
      updatedAt: now,
    });
  });

  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it('seeds the article types and matches the entities: nothing for migration:generate', async () => {
    const types = await dataSource.query('SELECT id, name FROM payments_article_types ORDER BY id');
    expect(types.map((t: { name: string }) => t.name)).toEqual([
      'Service',
      'PunchTicket',
      'ValueCard',
      'GiftCard',
    ]);
    expect(await pendingSchemaChanges(db.url)).toEqual([]);
  });

  it('refuses a duplicate article', async () => {
    const article = { companyId, articleTypeId: 1, articleId: 7, name: 'A', active: true };
    await dataSource.getRepository(Article).insert(article);
    await expect(
      dataSource.getRepository(Article).insert({ ...article, name: 'B' }),
    ).rejects.toThrow();
  });

  it('refuses a duplicate payable', async () => {
    const payable = { companyId, internalReferenceId: 'ref-1', createdAt: now, updatedAt: now };
    await dataSource
      .getRepository(Payable)
      .insert({ ...payable, id: '22222222-2222-4222-8222-222222222222' });
    await expect(
      dataSource
        .getRepository(Payable)
        .insert({ ...payable, id: '33333333-3333-4333-8333-333333333333' }),
    ).rejects.toThrow();
  });

  it('refuses a duplicate Stripe session id and a duplicate API key', async () => {
    const checkout = (id: string, key: string) => ({
      id,
      payableId: '22222222-2222-4222-8222-222222222222',
      companyId,
      state: 'open' as const,
      uiMode: 'hosted' as const,
      stripeSessionId: 'cs_test_same',
      stripeAccountId: 'acct_1',
      amountTotal: 100,
      currency: 'sek',
      lineItems: [],
      stripeRequest: '{}',
      idempotencyKey: key,
      expiresAt: now,
      createdAt: now,
      updatedAt: now,
    });
    await dataSource
      .getRepository(Checkout)
      .insert(checkout('44444444-4444-4444-8444-444444444444', 'k1'));
    await expect(
      dataSource
        .getRepository(Checkout)
        .insert(checkout('55555555-5555-4555-8555-555555555555', 'k2')),
    ).rejects.toThrow();
    const key = { keyHash: hashApiKey('k'), name: 'k', companyId, active: true, createdAt: now };
    await dataSource.getRepository(ApiKey).insert(key);
    await expect(dataSource.getRepository(ApiKey).insert(key)).rejects.toThrow();
  });

  it('keeps prices as integers', async () => {
    const [article] = await dataSource.getRepository(Article).find({ where: { articleId: 7 } });
    await dataSource.getRepository(ArticlePrice).insert({
      articleRef: article.id,
      countryCode: null,
      currency: 'SEK',
      unitAmount: 45000,
      vatBasisPoints: 2500,
    });
    const [price] = await dataSource
      .getRepository(ArticlePrice)
      .find({ where: { articleRef: article.id } });
    expect(price.unitAmount).toBe(45000);
  });

  it('migrates down to an empty schema and up again', async () => {
    for (const _migration of PAYMENTS_MIGRATIONS) await dataSource.undoLastMigration();
    const tables = await dataSource
      .createQueryRunner()
      .getTables([
        'payments_companies',
        'payments_checkouts',
        'payments_payables',
        'payments_webhook_endpoints',
        'payments_event_deliveries',
        'payments_webhook_attempts',
      ]);
    expect(tables).toHaveLength(0);
    await dataSource.runMigrations();
    expect(await dataSource.getRepository(Company).count()).toBe(0);
  });
});

describe(`migrations as a guest in a host's database (${TEST_DB})`, () => {
  let db: TestDatabase;
  afterEach(async () => {
    paymentsEntities();
    await db.drop();
  });

  /** A DataSource on the test database with the payments entities as they are named now. */
  const dataSourceWith = (options: Partial<ConstructorParameters<typeof DataSource>[0]> = {}) =>
    new DataSource({
      ...typeOrmOptions(parseDatabaseUrl(db.url)),
      entities: PAYMENTS_ENTITIES,
      ...options,
    } as ConstructorParameters<typeof DataSource>[0]);

  it("renames an install from before the prefix, keeping its rows, and leaves the host's tables alone", async () => {
    db = await createTestDatabase();
    paymentsEntities({ tablePrefix: '' });
    const old = dataSourceWith({ migrations: [InitialPaymentsSchema1764000000000] });
    await old.initialize();
    await old.runMigrations();
    await old.getRepository(Company).insert({
      id: '66666666-6666-4666-8666-666666666666',
      name: 'Old Co',
      defaultCurrency: 'SEK',
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    await old.destroy();

    paymentsEntities();
    const current = dataSourceWith({ migrations: PAYMENTS_MIGRATIONS });
    await current.initialize();
    await current.runMigrations();
    expect((await current.getRepository(Company).findOneByOrFail({ name: 'Old Co' })).id).toBe(
      '66666666-6666-4666-8666-666666666666',
    );
    const runner = current.createQueryRunner();
    expect(await runner.hasTable('companies')).toBe(false);
    await runner.release();
    expect(await pendingSchemaChanges(db.url)).toEqual([]);
    await current.destroy();
  });

  it.each([
    ['the default prefix', {}, 'payments_companies'],
    ['its own prefix', { tablePrefix: 'pay_' }, 'pay_companies'],
    ["TypeORM's entityPrefix", { entityPrefix: 'host_' }, 'host_payments_companies'],
  ])(
    "with %s: the host's own companies table stays untouched, nothing drifts",
    async (_name, options, companies) => {
      db = await createTestDatabase();
      const { tablePrefix, entityPrefix } = options as {
        tablePrefix?: string;
        entityPrefix?: string;
      };
      paymentsEntities({ tablePrefix });
      const host = dataSourceWith({ migrations: PAYMENTS_MIGRATIONS, entityPrefix });
      await host.initialize();
      await host.query('CREATE TABLE companies (id INTEGER PRIMARY KEY, host_name VARCHAR(50))');
      await host.query("INSERT INTO companies (id, host_name) VALUES (1, 'the host')");
      await host.runMigrations();
      expect(await host.query('SELECT host_name FROM companies')).toEqual([
        { host_name: 'the host' },
      ]);
      expect(host.getMetadata(Company).tableName).toBe(companies);
      expect(await host.getRepository(Company).count()).toBe(0);
      expect(await pendingSchemaChanges(db.url, { entityPrefix })).toEqual([]);
      await host.destroy();
    },
  );
});

/**
 * Item 8 of issue 10, on a database as the service created them before (MariaDB:
 * utf8mb4_unicode_ci): after the migrations, identifiers compare as bytes.
 */
describe(`byte-exact identifiers on an existing database (${TEST_DB})`, () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  const now = new Date();
  const companyId = '11111111-1111-4111-8111-111111111111';
  // ábc precomposed and decomposed, and abc with a trailing space: all different bytes.
  const references = ['abc', 'ABC', '\u00e1bc', 'a\u0301bc', 'abc '];

  beforeAll(async () => {
    db = await createTestDatabase({ legacy: true });
    dataSource = await migratedDataSource(db.url);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  const collations = async (): Promise<string[]> => {
    const rows: { collation: string }[] = await dataSource.query(
      `SELECT DISTINCT COLLATION_NAME AS collation FROM information_schema.COLUMNS
       WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> 'migrations' AND COLLATION_NAME IS NOT NULL`,
    );
    return rows.map((row) => row.collation);
  };
  const payable = (internalReferenceId: string, index: number) => ({
    id: `22222222-2222-4222-8222-${String(index).padStart(12, '0')}`,
    companyId,
    internalReferenceId,
    createdAt: now,
    updatedAt: now,
  });
  const checkout = (index: number, sessionId: string, idempotencyKey: string) => ({
    id: `44444444-4444-4444-8444-${String(index).padStart(12, '0')}`,
    payableId: payable('abc', 0).id,
    companyId,
    state: 'open' as const,
    uiMode: 'hosted' as const,
    stripeSessionId: sessionId,
    stripeAccountId: 'acct_1',
    amountTotal: 100,
    currency: 'sek',
    lineItems: [],
    stripeRequest: '{}',
    idempotencyKey,
    expiresAt: now,
    createdAt: now,
    updatedAt: now,
  });
  const event = (eventId: string) => ({ eventId, type: 't', receivedAt: now, processedAt: now });

  it('keeps abc, ABC, ábc (both spellings) and "abc " as five payables, each found by its own bytes', async () => {
    const repository = dataSource.getRepository(Payable);
    await repository.insert(references.map(payable));
    for (const reference of references) {
      const found = await repository.findBy({ companyId, internalReferenceId: reference });
      expect(found.map((row) => row.internalReferenceId)).toEqual([reference]);
    }
  });

  it('keeps session ids, idempotency keys and event ids that differ only in case apart', async () => {
    await dataSource
      .getRepository(Checkout)
      .insert([checkout(1, 'cs_test_a', 'checkout-k'), checkout(2, 'cs_test_A', 'checkout-K')]);
    const bySession = await dataSource
      .getRepository(Checkout)
      .findBy({ stripeSessionId: 'cs_test_A' });
    expect(bySession.map((row) => row.idempotencyKey)).toEqual(['checkout-K']);
    await dataSource
      .getRepository(StripeEvent)
      .insert([event('evt_a'), event('evt_A'), event('evt_a ')]);
    expect(await dataSource.getRepository(StripeEvent).countBy({ eventId: 'evt_a' })).toBe(1);
  });

  onMariaDb(
    'converts every text column to the binary NO PAD collation, and down() restores',
    async () => {
      expect(await collations()).toEqual(['utf8mb4_nopad_bin']);
      // Rows that differ only in case cannot stay apart under the old collation: down() needs them gone.
      await dataSource.getRepository(StripeEvent).clear();
      await dataSource.getRepository(Checkout).clear();
      await dataSource.getRepository(Payable).clear();
      // Down to before ByteExactIdentifiers (the later migrations first).
      const later =
        PAYMENTS_MIGRATIONS.length - PAYMENTS_MIGRATIONS.indexOf(ByteExactIdentifiers1764100000000);
      for (let i = 0; i < later; i++) await dataSource.undoLastMigration();
      expect(await collations()).toEqual(['utf8mb4_unicode_ci']);
      await dataSource.runMigrations();
      expect(await collations()).toEqual(['utf8mb4_nopad_bin']);
      expect(await pendingSchemaChanges(db.url)).toEqual([]);
    },
  );
});

describe(`a database the service creates (${TEST_DB})`, () => {
  onMariaDb(
    'compares as bytes from the first table on (utf8mb4_nopad_bin by default)',
    async () => {
      const db = await createTestDatabase();
      const dataSource = new DataSource(await schemaToolOptions(parseDatabaseUrl(db.url)));
      await dataSource.initialize();
      try {
        const [schema]: { collation: string }[] = await dataSource.query(
          'SELECT DEFAULT_COLLATION_NAME AS collation FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()',
        );
        expect(schema.collation).toBe('utf8mb4_nopad_bin');
        expect(dataSource.options.type).toBe('mariadb');
      } finally {
        await dataSource.destroy();
        await db.drop();
      }
    },
  );
});
