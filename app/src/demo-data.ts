import type { PaymentsAdminService } from 'bokamera-payments';

interface DemoArticle {
  articleId: number;
  articleTypeId: number;
  name: string;
  /** Minor units: 45000 is 450.00 SEK. */
  unitAmount: number;
  vatPercent: number;
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
        unitAmount: 45_000,
        vatPercent: 25,
      },
      { articleId: 2, articleTypeId: 1, name: 'Beard trim', unitAmount: 20_000, vatPercent: 25 },
      {
        articleId: 1,
        articleTypeId: 4,
        name: 'Gift card 500 SEK',
        unitAmount: 50_000,
        vatPercent: 0,
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
        unitAmount: 80_000,
        vatPercent: 25,
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
      { articleId: 1, articleTypeId: 1, name: 'Massage', unitAmount: 60_000, vatPercent: 25 },
    ],
  },
];

/**
 * Demo data only when asked for (see `AppConfig.demoData`), through the package's admin service as
 * any host would: when wanted, the demo companies, articles and keys are there and the keys work;
 * when not, demo keys an earlier run left in the database are switched off.
 */
export async function provideDemoData(
  admin: PaymentsAdminService,
  wanted: boolean,
): Promise<'seeded' | 'present' | 'disabled' | 'none'> {
  const keys = [...DEMO_COMPANIES.map((demo) => demo.apiKey), DEMO_PLATFORM_KEY];
  if (!wanted) {
    const revoked = await Promise.all(keys.map((key) => admin.revokeApiKey(key)));
    return revoked.some(Boolean) ? 'disabled' : 'none';
  }
  const present = await admin.hasCompany(DEMO_COMPANIES[0].id);
  for (const demo of DEMO_COMPANIES) {
    if (!present) await seedCompany(admin, demo);
    await admin.createApiKey({
      companyId: demo.id,
      name: `${demo.name} demo key`,
      key: demo.apiKey,
    });
  }
  await admin.createApiKey({ companyId: null, name: 'Demo platform key', key: DEMO_PLATFORM_KEY });
  return present ? 'present' : 'seeded';
}

async function seedCompany(admin: PaymentsAdminService, demo: DemoCompany): Promise<void> {
  await admin.upsertCompany({
    id: demo.id,
    name: demo.name,
    stripeAccountId: demo.account,
    currency: demo.currency,
    checkoutEnabled: demo.account !== null,
  });
  for (const article of demo.articles) {
    await admin.upsertArticle({
      companyId: demo.id,
      articleId: article.articleId,
      articleTypeId: article.articleTypeId,
      name: article.name,
      active: true,
      prices: [
        {
          countryCode: null,
          currency: demo.currency,
          unitAmount: article.unitAmount,
          vatPercent: article.vatPercent,
        },
      ],
    });
  }
}
