#!/usr/bin/env node
// npm test: build once, run every suite on SQLite, then the database suites again on MariaDB.
import { spawnSync } from 'node:child_process';
import { createConnection } from 'mysql2/promise';

const mysqlUrl = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const extra = process.argv.slice(2);

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const jest = ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', '--maxWorkers=2'];

run('npm', ['run', 'build', '--silent']);
console.log('\n=== Suites on SQLite ===');
run('node', [...jest, ...extra], { TEST_DB: 'sqlite' });

let mysqlReachable = true;
try {
  const connection = await createConnection({ uri: `${mysqlUrl}/`, connectTimeout: 3000 });
  await connection.end();
} catch (error) {
  mysqlReachable = false;
  if (process.env.CI === 'true') {
    console.error(`MariaDB is not reachable at ${mysqlUrl} and CI=true: ${error.message}`);
    process.exit(1);
  }
}
if (!mysqlReachable) {
  console.warn(`\n!!! MariaDB not reachable at ${mysqlUrl}: SKIPPING the MariaDB suites (they run in CI) !!!\n`);
} else {
  console.log('\n=== Database suites on MariaDB ===');
  run('node', [...jest, 'test/e2e', ...extra], { TEST_DB: 'mysql', TEST_MYSQL_URL: mysqlUrl });
}
