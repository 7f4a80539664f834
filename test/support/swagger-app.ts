import request from 'supertest';
import { startService, type RunningService } from '../../app/src/bootstrap.js';
import { loadConfig } from '../../app/src/config/app-config.js';
import { createTestDatabase } from './test-database.js';
import { TEST_ADAPTER } from './test-app.js';

export interface StandaloneService extends RunningService {
  http: ReturnType<typeof request>;
}

/**
 * The standalone service exactly as `npm start` builds it (Swagger UI, body parsers, bundled
 * Stripe emulator), on a fresh test database with the demo data and a free port.
 */
export async function startStandaloneService(): Promise<StandaloneService> {
  const db = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    DB_URL: db.url,
    PORT: '0',
    STRIPE_EMULATOR_PORT: '0',
    LOG_LEVEL: 'error',
    HTTP_ADAPTER: TEST_ADAPTER,
  });
  const service = await startService(config);
  return {
    ...service,
    http: request(service.url),
    async close() {
      await service.close();
      await db.drop();
    },
  };
}
