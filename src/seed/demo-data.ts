import { In, type DataSource } from 'typeorm';
import { hashApiKey } from '../auth/api-key.service.js';
import { ApiKey, Article, ArticlePrice, Company } from '../entities/index.js';
import { toMinorUnits } from '../pricing/minor-units.js';

interface DemoArticle {
  articleId: number;
  articleTypeId: number;
  name: string;
  price: string;
  vatBasisPoints: number;
}

interface DemoCompany {
  id: string;
  name: string;
  account: string | null;
  currency: string;
  apiKey: string;
  articles: DemoArticle[];
}

export const DEMO_PLATFORM_KEY = 'demo-platform-key';

export const DEMO_COMPANIES: DemoCompany[] = [
  {
    id: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
    name: 'Demo Salon',
    account: 'acct_1DemoSalonSE0001',
    currency: 'SEK',
    apiKey: 'demo-api-key',
    articles: [
      {
        articleId: 1,
        articleTypeId: 1,
        name: 'Haircut 45 min',
        price: '450.00',
        vatBasisPoints: 2500,
      },
      { articleId: 2, articleTypeId: 1, name: 'Beard trim', price: '200.00', vatBasisPoints: 2500 },
      {
        articleId: 1,
        articleTypeId: 4,
        name: 'Gift card 500 SEK',
        price: '500.00',
        vatBasisPoints: 0,
      },
    ],
  },
  {
    id: '9b2c4a77-0d7e-4c1f-8e55-2f6a1f0e6b10',
    name: 'Demo Clinic',
    account: 'acct_1DemoClinicNO001',
    currency: 'NOK',
    apiKey: 'demo-api-key-2',
    articles: [
      {
        articleId: 1,
        articleTypeId: 1,
        name: 'Consultation',
        price: '800.00',
        vatBasisPoints: 2500,
      },
    ],
  },
  {
    id: '5e0c1f3a-7f6b-4e8e-9a0d-8d1c2b3a4f50',
    name: 'No Stripe Co',
    account: null,
    currency: 'SEK',
    apiKey: 'demo-api-key-3',
    articles: [
      { articleId: 1, articleTypeId: 1, name: 'Massage', price: '600.00', vatBasisPoints: 2500 },
    ],
  },
];

/** Seeds the demo companies, articles and API keys; does nothing when any company exists. */
export async function seedDemoData(dataSource: DataSource): Promise<boolean> {
  if ((await dataSource.getRepository(Company).count()) > 0) return false;
  await dataSource.transaction(async (manager) => {
    const now = new Date();
    for (const demo of DEMO_COMPANIES) {
      await manager.insert(Company, {
        id: demo.id,
        name: demo.name,
        stripeCheckoutEnabled: demo.account !== null,
        stripeAccountId: demo.account,
        defaultCurrency: demo.currency,
        defaultConfirmationUrl: null,
        defaultCancelUrl: null,
        redirectHostAllowlist: null,
        sessionLifetimeMinutes: 60,
        createdAt: now,
        updatedAt: now,
      });
      await manager.insert(ApiKey, {
        keyHash: hashApiKey(demo.apiKey),
        name: `${demo.name} demo key`,
        companyId: demo.id,
        active: true,
        createdAt: now,
      });
      for (const article of demo.articles) {
        const inserted = await manager.insert(Article, {
          companyId: demo.id,
          articleTypeId: article.articleTypeId,
          articleId: article.articleId,
          name: article.name,
          active: true,
        });
        await manager.insert(ArticlePrice, {
          articleRef: inserted.identifiers[0].id as number,
          countryCode: null,
          currency: demo.currency,
          unitAmount: toMinorUnits(article.price, demo.currency),
          vatBasisPoints: article.vatBasisPoints,
        });
      }
    }
    await manager.insert(ApiKey, {
      keyHash: hashApiKey(DEMO_PLATFORM_KEY),
      name: 'Demo platform key',
      companyId: null,
      active: true,
      createdAt: now,
    });
  });
  return true;
}

/**
 * Turns the demo API keys on or off wherever a database holds them (one seeded by an earlier
 * `npm start` with the emulator, say): a service that was not asked for demo data must not accept
 * `demo-platform-key`. Returns how many keys changed.
 */
export async function setDemoKeysActive(dataSource: DataSource, active: boolean): Promise<number> {
  const hashes = [...DEMO_COMPANIES.map((demo) => demo.apiKey), DEMO_PLATFORM_KEY].map(hashApiKey);
  const result = await dataSource
    .getRepository(ApiKey)
    .update({ keyHash: In(hashes), active: !active }, { active });
  return result.affected ?? 0;
}
