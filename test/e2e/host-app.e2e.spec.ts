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
  ['forRoot', () => PaymentsModule.forRoot({ stripe, health: true })],
  [
    'forRootAsync',
    () =>
      PaymentsModule.forRootAsync({
        // Switches decide which routes exist: beside useFactory, not in what it returns.
        health: true,
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

  it('answers /health under the host prefix when switched on, and mounts no predefined routes', async () => {
    await request(app.getHttpServer()).get('/host-api/health').expect(200, { Status: 'ok' });
    await request(app.getHttpServer()).post('/host-api/api/StripeV1CreateCheckout').expect(404);
  });

  it('serves the checkout route under the host prefix', async () => {
    const res = await request(app.getHttpServer())
      .post('/host-api/payment/stripe/v1/checkout')
      .send({});
    expect(res.status).toBe(401);
    expect(res.body.ResponseStatus.ErrorCode).toBe('Unauthorized');
  });
});

describe(`PaymentsModule as a guest, with nothing switched on (${TEST_DB})`, () => {
  let db: TestDatabase;
  let app: INestApplication;
  beforeAll(async () => {
    db = await createTestDatabase();
    @Module({
      imports: [
        TypeOrmModule.forRoot({
          ...typeOrmOptions(parseDatabaseUrl(db.url)),
          migrationsRun: true,
        }),
        PaymentsModule.forRoot({ stripe }),
      ],
    })
    class GuestHostModule {}
    app = await NestFactory.create(GuestHostModule, { logger: false, rawBody: true });
    await app.init();
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('mounts only its operations and its webhook', async () => {
    const http = request(app.getHttpServer());
    await http.get('/health').expect(404);
    await http.post('/api/StripeV1CreateCheckout').expect(404);
    await http.post('/json/reply/StripeV1CreateCheckout').expect(404);
    await http.post('/payment/stripe/v1/checkout').send({}).expect(401);
    await http.post('/payment/stripe/v1/webhook').send({}).expect(400);
  });
});
