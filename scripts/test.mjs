#!/usr/bin/env node
// npm test: build once; every suite on SQLite under Express; then the e2e, browser, crash and
// model suites again on MariaDB, and the e2e and browser suites on both databases under Fastify
// (the crash and model suites run the built service process, whose adapter the HTTP passes do not
// change). The consumer test (test/consumer) is in the first pass only: it packs the project and
// runs its own matrix of host apps (ESM and CommonJS, Express and Fastify, SQLite and MariaDB).
import { spawnSync } from 'node:child_process';
import { createConnection } from 'mysql2/promise';

// mariadb:// tells TypeORM the server is MariaDB (it reads the schema back differently).
const mysqlUrl = process.env.TEST_MYSQL_URL ?? 'mariadb://root@127.0.0.1:3306';
const extra = process.argv.slice(2);
const jest = ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', '--maxWorkers=2'];
const e2e = ['test/e2e', 'test/browser'];

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

async function mysqlReachable() {
  try {
    const uri = `${mysqlUrl.replace(/^mariadb:/, 'mysql:')}/`;
    const connection = await createConnection({ uri, connectTimeout: 3000 });
    await connection.end();
    return true;
  } catch (error) {
    if (process.env.CI === 'true') {
      console.error(`MariaDB is not reachable at ${mysqlUrl} and CI=true: ${error.message}`);
      process.exit(1);
    }
    console.warn(
      `\n!!! MariaDB not reachable at ${mysqlUrl}: SKIPPING the MariaDB passes (they run in CI) !!!\n`,
    );
    return false;
  }
}

run('npm', ['run', 'build', '--silent']);
const withMysql = await mysqlReachable();
const passes = [
  {
    name: 'every suite, SQLite, Express; the consumer test on its own matrix',
    suites: [],
    env: { TEST_DB: 'sqlite', TEST_ADAPTER: 'express' },
  },
  {
    name: 'e2e, crash points and model, MariaDB, Express',
    suites: [...e2e, 'test/crash', 'test/model'],
    env: { TEST_DB: 'mysql', TEST_ADAPTER: 'express' },
    mysql: true,
  },
  {
    name: 'e2e, SQLite, Fastify',
    suites: e2e,
    env: { TEST_DB: 'sqlite', TEST_ADAPTER: 'fastify' },
  },
  {
    name: 'e2e, MariaDB, Fastify',
    suites: e2e,
    env: { TEST_DB: 'mysql', TEST_ADAPTER: 'fastify' },
    mysql: true,
  },
];
for (const pass of passes) {
  if (pass.mysql && !withMysql) continue;
  console.log(`\n=== ${pass.name} ===`);
  run('node', [...jest, ...pass.suites, ...extra], { ...pass.env, TEST_MYSQL_URL: mysqlUrl });
}
