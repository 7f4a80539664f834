import { Injectable, Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import { parseDatabaseUrl } from '../../app/src/config/database-url.js';
import {
  PAYMENTS_ENTITIES,
  PAYMENTS_MIGRATIONS,
  PaymentsModule,
  type PaymentsModuleOptions,
} from '../../src/index.js';
import { typeOrmOptions } from '../../app/src/database/typeorm-options.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../support/test-database.js';

/** A host app's own configuration service, injected into forRootAsync. */
@Injectable()
class HostSettings {
  readonly stripeKey = 'sk_test_host';
}

@Module({ providers: [HostSettings], exports: [HostSettings] })
class HostSettingsModule {}

const stripe = { secretKey: 'sk_test_host', apiUrl: 'http://127.0.0.1:9' };

const variants: [string, () => DynamicModule][] = [
  ['forRoot', () => PaymentsModule.forRoot({ stripe } satisfies PaymentsModuleOptions)],
  [
    'forRootAsync',
    () =>
      PaymentsModule.forRootAsync({
        imports: [HostSettingsModule],
        inject: [HostSettings],
        useFactory: (settings: HostSettings): PaymentsModuleOptions => ({
          stripe: { secretKey: settings.stripeKey, apiUrl: stripe.apiUrl },
        }),
      }),
  ],
];

describe.each(variants)(`PaymentsModule.%s in a host app (${TEST_DB})`, (_name, payments) => {
  let db: TestDatabase;
  let app: INestApplication;

  beforeAll(async () => {
    db = await createTestDatabase();
    // The host brings its own connection and adds the module's entities and migrations to it.
    const options = typeOrmOptions(parseDatabaseUrl(db.url));
    @Module({
      imports: [
        TypeOrmModule.forRoot({
          ...options,
          entities: [...PAYMENTS_ENTITIES],
          migrations: [...PAYMENTS_MIGRATIONS],
          migrationsRun: true,
        }),
        payments(),
      ],
    })
    class HostAppModule {}
    app = await NestFactory.create(HostAppModule, { logger: false, rawBody: true });
    app.setGlobalPrefix('host-api');
    await app.init();
  });

  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('answers /health under the host prefix', async () => {
    await request(app.getHttpServer()).get('/host-api/health').expect(200, { Status: 'ok' });
  });

  it('serves the checkout route under the host prefix', async () => {
    const res = await request(app.getHttpServer())
      .post('/host-api/payment/stripe/v1/checkout')
      .send({});
    expect(res.status).toBe(401);
    expect(res.body.ResponseStatus.ErrorCode).toBe('Unauthorized');
  });
});
