#!/usr/bin/env node
// Writes openapi.json (repo root) from the built app: the document /openapi.json serves.
// Usage: node scripts/export-openapi.mjs            (builds first)
//        node scripts/export-openapi.mjs --no-build (uses dist/ as it is)
// test/e2e/swagger.e2e.spec.ts fails when the served document differs from the committed file.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

if (!process.argv.includes('--no-build')) {
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const { NestFactory } = await import('@nestjs/core');
const { AppModule } = await import(join(root, 'app/dist/app.module.js'));
const { loadConfig } = await import(join(root, 'app/dist/config/app-config.js'));
const { buildOpenApiDocument } = await import(join(root, 'dist/index.js'));

// An in-memory database and an unreachable Stripe: the document needs the routes, nothing else.
const config = loadConfig({
  DB_URL: 'sqlite::memory:',
  NODE_ENV: 'development',
  LOG_LEVEL: 'error',
});
const stripe = { secretKey: 'sk_test_openapi_export', apiUrl: 'http://127.0.0.1:9' };
const app = await NestFactory.create(AppModule.forConfig(config, stripe), { logger: false });
try {
  const document = await buildOpenApiDocument(app);
  const { default: SwaggerParser } = await import('@apidevtools/swagger-parser');
  await SwaggerParser.validate(JSON.parse(JSON.stringify(document)));
  const file = join(root, 'openapi.json');
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
  console.log(`Wrote ${file} (${Object.keys(document.paths).length} paths)`);
} finally {
  await app.close();
}
