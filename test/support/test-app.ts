import type { INestApplication } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import request from 'supertest';
import type { DataSource, Logger as SqlLogger } from 'typeorm';
import { parseDatabaseUrl } from '../../app/src/config/database-url.js';
import { typeOrmOptions } from '../../app/src/database/typeorm-options.js';
import { provideDemoData } from '../../app/src/demo-data.js';
import {
  PaymentsAdminService,
  PaymentsModule,
  type PaymentsModuleOptions,
  type PaymentsModuleSwitches,
} from '../../src/index.js';
import { startStripeEmulator, type StripeEmulator } from '../../emulator/src/index.js';
import { createHttpApp, type HttpAdapterKind } from '../../app/src/http-app.js';
import { freeLoopbackPort as freePort } from '../../app/src/free-port.js';
import { HttpDrain } from '../../app/src/http-drain.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

/** Which HTTP adapter the suite runs on: scripts/test.mjs runs the e2e suites on both. */
export const TEST_ADAPTER: HttpAdapterKind =
  process.env.TEST_ADAPTER === 'fastify' ? 'fastify' : 'express';

export const WEBHOOK_SECRET = 'whsec_test_e2e_secret';
export const SALON = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
export const CLINIC = '9b2c4a77-0d7e-4c1f-8e55-2f6a1f0e6b10';
export const NO_STRIPE = '5e0c1f3a-7f6b-4e8e-9a0d-8d1c2b3a4f50';
export const SALON_ACCOUNT = 'acct_1DemoSalonSE0001';
export const CLINIC_ACCOUNT = 'acct_1DemoClinicNO001';

export interface TestApp {
  app: INestApplication;
  url: string;
  http: ReturnType<typeof request>;
  dataSource: DataSource;
  emulator: StripeEmulator;
  db: TestDatabase;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Share an existing database / emulator (a second instance). */
  db?: TestDatabase;
  emulator?: StripeEmulator;
  /** Module options; health and the predefined routes are on unless switched off here. */
  module?: Partial<PaymentsModuleOptions & PaymentsModuleSwitches>;
  /** Reach the database through another URL, e.g. a TCP proxy in front of `db`. */
  dbUrl?: string;
  /** What a host app does to its app before it listens (global pipes, say). */
  configure?: (app: INestApplication) => void;
  /** Sees every statement TypeORM sends, with its parameters (test/support/query-plans.ts). */
  sqlLogger?: SqlLogger;
  /** The host app's own providers (e.g. `@OnPaymentEvent` handlers). */
  providers?: Provider[];
}

@Module({})
class TestHostModule {
  static with(
    dbUrl: string,
    options: PaymentsModuleOptions & PaymentsModuleSwitches,
    sqlLogger?: SqlLogger,
    providers: Provider[] = [],
  ): DynamicModule {
    return {
      module: TestHostModule,
      providers,
      imports: [
        TypeOrmModule.forRoot({
          ...typeOrmOptions(parseDatabaseUrl(dbUrl)),
          migrationsRun: true,
          ...(sqlLogger && { logger: sqlLogger }),
        }),
        PaymentsModule.forRoot(options),
      ],
    };
  }
}

/** A real Nest app on a real database (migrated, demo data) talking to a real emulator over HTTP. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const db = options.db ?? (await createTestDatabase());
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const emulator =
    options.emulator ??
    (await startStripeEmulator({
      port: 0,
      webhookSecret: WEBHOOK_SECRET,
      webhookUrl: `${url}/payment/stripe/v1/webhook`,
      faults: true,
    }));
  const app = await createHttpApp(
    TestHostModule.with(
      options.dbUrl ?? db.url,
      {
        stripe: {
          secretKey: 'sk_test_e2e',
          apiUrl: emulator.url,
          webhookSecret: WEBHOOK_SECRET,
          timeoutMs: 3000,
        },
        reconcileIntervalMs: 0,
        stripeHealthTtlMs: 0,
        health: true,
        predefinedRoutes: true,
        ...options.module,
      },
      options.sqlLogger,
      options.providers,
    ),
    TEST_ADAPTER,
    process.env.TEST_LOGS ? ['log', 'warn', 'error'] : false,
  );
  options.configure?.(app);
  await app.listen(port, '127.0.0.1');
  // As the standalone service shuts down: a keep-alive connection whose request (a webhook from the
  // emulator, say) ends during close would otherwise hold Fastify's close for its keep-alive timeout.
  const drain = new HttpDrain(app.getHttpServer());
  const dataSource = app.get<DataSource>(getDataSourceToken());
  await provideDemoData(app.get(PaymentsAdminService), true);
  return {
    app,
    url,
    http: request(url),
    dataSource,
    emulator,
    db,
    async close() {
      await drain.drain(5000);
      await app.close();
      if (!options.emulator) await emulator.close();
      if (!options.db) await db.drop();
    },
  };
}

export function salonCheckout(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    CompanyId: SALON,
    CountryCode: 'SE',
    Articles: [
      { ArticleId: 1, ArticleTypeId: 1, Quantity: 2 },
      { ArticleId: 2, ArticleTypeId: 1, Quantity: 1 },
    ],
    InternalReferenceId: `booking-${Math.random().toString(36).slice(2, 10)}`,
    UiMode: 'hosted',
    ...overrides,
  };
}
