import type { DataSource } from 'typeorm';
import { hashApiKey } from '../../src/auth/api-key.service.js';
import { ApiKey, Article, ArticlePrice, Checkout, Company, Payable } from '../../src/index.js';
import {
  createTestDatabase,
  migratedDataSource,
  TEST_DB,
  type TestDatabase,
} from '../support/test-database.js';

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

  it('seeds the article types and matches the entities', async () => {
    const types = await dataSource.query('SELECT id, name FROM article_types ORDER BY id');
    expect(types.map((t: { name: string }) => t.name)).toEqual([
      'Service',
      'PunchTicket',
      'ValueCard',
      'GiftCard',
    ]);
    const pending = await dataSource.driver.createSchemaBuilder().log();
    // MariaDB reports nullable columns as changed on every run (a TypeORM quirk); SQLite must be exact.
    if (TEST_DB === 'sqlite') expect(pending.upQueries).toEqual([]);
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
    await dataSource.undoLastMigration();
    const tables = await dataSource
      .createQueryRunner()
      .getTables(['companies', 'checkouts', 'payables']);
    expect(tables).toHaveLength(0);
    await dataSource.runMigrations();
    expect(await dataSource.getRepository(Company).count()).toBe(0);
  });
});
