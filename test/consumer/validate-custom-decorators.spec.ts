import { Module, ValidationPipe, type INestApplication } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import { parseDatabaseUrl } from '../../app/src/config/database-url.js';
import { typeOrmOptions } from '../../app/src/database/typeorm-options.js';
import { createHttpApp, type HttpAdapterKind } from '../../app/src/http-app.js';
import { PaymentsAdminService, PaymentsModule } from '../../src/index.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../support/test-database.js';

const COMPANY = '0d7f3c2a-9b1e-4f6a-8c5d-3e2f1a0b9c8d';

/**
 * A host's global ValidationPipe with `validateCustomDecorators` also transforms the module's
 * `@OperationRequest()` value. The module's own answer is then lost (a documented limit), but the
 * pipe must not reach the HTTP request inside it: class-transformer copying its socket's native
 * handle aborted the whole process on the first request.
 */
describe.each<HttpAdapterKind>(['express', 'fastify'])(
  `a host whose ValidationPipe validates custom decorators (%s, ${TEST_DB})`,
  (adapter) => {
    let db: TestDatabase;
    let app: INestApplication;
    let apiKey: string;

    beforeAll(async () => {
      db = await createTestDatabase();
      @Module({})
      class StrictHostModule {}
      const host = {
        module: StrictHostModule,
        imports: [
          TypeOrmModule.forRoot({
            ...typeOrmOptions(parseDatabaseUrl(db.url)),
            migrationsRun: true,
          }),
          PaymentsModule.forRoot({
            stripe: { secretKey: 'sk_test_pipes', apiUrl: 'http://127.0.0.1:9' },
            reconcileIntervalMs: 0,
          }),
        ],
      };
      app = await createHttpApp(host, adapter, false);
      app.useGlobalPipes(
        new ValidationPipe({
          whitelist: true,
          forbidNonWhitelisted: true,
          transform: true,
          validateCustomDecorators: true,
        }),
      );
      await app.init();
      if (adapter === 'fastify') await app.getHttpAdapter().getInstance().ready();
      const admin = app.get(PaymentsAdminService);
      await admin.upsertCompany({
        id: COMPANY,
        name: 'Strict host',
        stripeAccountId: null,
        currency: 'SEK',
        checkoutEnabled: false,
      });
      apiKey = (await admin.createApiKey({ companyId: COMPANY, name: 'strict' })).Key;
    });

    afterAll(async () => {
      await app?.close();
      await db?.drop();
    });

    it('answers 400 and keeps serving', async () => {
      const http = request(app.getHttpServer());
      for (let attempt = 0; attempt < 2; attempt++) {
        const res = await http
          .post('/payment/stripe/v1/checkout')
          .set('x-api-key', apiKey)
          .send({
            CompanyId: COMPANY,
            CountryCode: 'SE',
            InternalReferenceId: 'strict-1',
            Articles: [{ ArticleId: 1, ArticleTypeId: 1, Quantity: 1 }],
          });
        expect(res.status).toBe(400);
        expect(res.body.ResponseStatus).toMatchObject({ ErrorCode: 'BadRequest' });
      }
    });
  },
);
