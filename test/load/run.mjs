#!/usr/bin/env node
/* global AbortSignal, URL, URLSearchParams, clearTimeout, fetch, performance, setTimeout */
// `npm run test:load` (issue "Hardening", section Load): two instances of the built service (dist/)
// on one MariaDB database and one Stripe emulator, driven by autocannon on loopback with repeated
// re-creates over 3 companies x 20 payables; then checks that every payable has exactly one open
// session (at the emulator and in `checkouts`), every other one expired in both places, no 5xx,
// and both connection pools back at idle.
//
//   node test/load/run.mjs [--duration 30] [--connections 16]
//
// Needs MariaDB at 127.0.0.1:3306 (root, no password); the database payments_load is dropped and
// recreated. Exit code 0 only when every check passes. Children are always stopped.
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createConnection } from 'mysql2/promise';
import { startCountingEmulator, stopAll, track } from '../../scripts/child-processes.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MYSQL_URL = 'mysql://root@127.0.0.1:3306';
const DB_NAME = 'payments_load';
const DB_URL = `${MYSQL_URL}/${DB_NAME}`;
const STRIPE_KEY = 'sk_test_load';
const CHECKOUT_PATH = '/payment/stripe/v1/checkout';
const PAYABLES_PER_COMPANY = 20;
/** TypeORM's mysql `poolSize` in app/src/database/typeorm-options.ts: the idle ceiling per instance. */
const POOL_SIZE = 10;
/** Everything after the build; `npm run test:load` (build included) stays under 3 minutes. */
const BUDGET_MS = 150_000;
const SETTLE_MS = 25_000;

const { values: opts } = parseArgs({
  options: {
    duration: { type: 'string', default: '30' },
    connections: { type: 'string', default: '16' },
    // checks the checker: after the load, plants an orphan open session at the emulator and a
    // second open row in checkouts; the run must then FAIL and show both
    sabotage: { type: 'boolean', default: false },
  },
});
const DURATION_S = Number(opts.duration);
const CONNECTIONS = Number(opts.connections);
if (!(DURATION_S >= 5 && DURATION_S <= 40)) fail('--duration must be 5..40 s');
if (!Number.isInteger(CONNECTIONS) || CONNECTIONS < 2 || CONNECTIONS > 20 || CONNECTIONS % 2)
  fail('--connections must be an even integer from 2 to 20 (split over the two instances)');

const COMPANIES = [
  {
    id: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
    account: 'acct_1DemoSalonSE0001',
    apiKey: 'demo-api-key',
    country: 'SE',
    articles: [
      { ArticleId: 1, ArticleTypeId: 1, Quantity: 2 },
      { ArticleId: 2, ArticleTypeId: 1, Quantity: 1 },
    ],
  },
  {
    id: '9b2c4a77-0d7e-4c1f-8e55-2f6a1f0e6b10',
    account: 'acct_1DemoClinicNO001',
    apiKey: 'demo-api-key-2',
    country: 'NO',
    articles: [{ ArticleId: 1, ArticleTypeId: 1, Quantity: 1 }],
  },
  {
    // not in the demo data: inserted with SQL before the run (insertThirdCompany)
    id: '7d4f2b1e-3c5a-4f6b-8e9d-0a1b2c3d4e5f',
    account: 'acct_1LoadStudioDK001',
    apiKey: 'load-api-key-3',
    country: 'DK',
    articles: [{ ArticleId: 1, ArticleTypeId: 1, Quantity: 3 }],
  },
];
const PAYABLES = COMPANIES.flatMap((company, c) =>
  Array.from({ length: PAYABLES_PER_COMPANY }, (_, i) => ({
    company,
    ref: `load-c${c + 1}-p${String(i + 1).padStart(2, '0')}`,
  })),
);
const payableKey = (companyId, ref) => `${companyId}/${ref}`;

// ---------------------------------------------------------------- children, never orphaned
let tempDir;

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    console.error(`\nload: ${signal}, stopping the children`);
    console.log('load: 0 passed, 1 failed (interrupted)');
    void stopAll().finally(() => {
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
      process.exit(130);
    });
  });
}
setTimeout(() => {
  console.error(`load: over the ${BUDGET_MS / 1000} s budget, giving up`);
  console.log('load: 0 passed, 1 failed (budget exceeded)');
  void stopAll().finally(() => process.exit(1));
}, BUDGET_MS).unref();

function fail(message) {
  console.error(`load: ${message}`);
  process.exit(1);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function startService(name, emulatorUrl) {
  const env = {
    ...process.env,
    NODE_ENV: 'development',
    DEMO_DATA: '1', // migrations + demo data on the empty database (instance A)
    DB_URL,
    PORT: '0',
    STRIPE_SECRET_KEY: STRIPE_KEY,
    STRIPE_API_URL: emulatorUrl,
    STRIPE_WEBHOOK_SECRET: `whsec_load${randomBytes(8).toString('hex')}`,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_KEY: '0',
    RATE_LIMIT_PER_PAYABLE: '0',
    // reconciliation runs on both instances during the load (it only touches rows older than its
    // grace period, so it must leave the run's checkouts alone)
    RECONCILE_INTERVAL_MS: '5000',
  };
  delete env.SQL_STATS;
  delete env.REDIS_URL;
  const logFile = join(tempDir, `service-${name}.log`);
  const child = track(
    spawn(process.execPath, [join(ROOT, 'app', 'dist', 'main.js')], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
    `service ${name}`,
  );
  const log = [];
  const onData = (chunk) => {
    const text = chunk.toString();
    log.push(text);
    if (log.length > 5000) log.splice(0, 1000);
    writeFileSync(logFile, text, { flag: 'a' });
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(reject, new Error(`service ${name} did not start in 60 s:\n${log.join('')}`)),
      60_000,
    );
    const check = () => {
      const match = /Payments service listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log.join(''));
      if (match) finish(resolve, match[1]);
    };
    const onExit = (code, signal) =>
      finish(
        reject,
        new Error(`service ${name} exited (${signal ?? code}) at start:\n${log.join('')}`),
      );
    const finish = (settle, value) => {
      clearTimeout(timer);
      child.stdout.off('data', check);
      child.off('exit', onExit);
      settle(value);
    };
    child.stdout.on('data', check);
    child.once('exit', onExit);
  });
  return { name, child, pid: child.pid, url, port: Number(new URL(url).port), log, logFile };
}

// ---------------------------------------------------------------- database
async function recreateDatabase(sql) {
  await sql.query(`DROP DATABASE IF EXISTS \`${DB_NAME}\``);
  await sql.query(
    `CREATE DATABASE \`${DB_NAME}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
  );
}

/** The third company: Stripe enabled, own account, own API key (sha256 hex), one article + price. */
async function insertThirdCompany(sql) {
  const c = COMPANIES[2];
  const t = `\`${DB_NAME}\``;
  await sql.query(
    `INSERT INTO ${t}.companies (id, name, stripe_checkout_enabled, stripe_account_id, default_currency,
       default_confirmation_url, default_cancel_url, redirect_host_allowlist, session_lifetime_minutes,
       created_at, updated_at)
     VALUES (?, 'Load Test Studio', 1, ?, 'DKK', NULL, NULL, NULL, 60, NOW(3), NOW(3))`,
    [c.id, c.account],
  );
  await sql.query(
    `INSERT INTO ${t}.api_keys (key_hash, name, company_id, active, created_at) VALUES (?, 'Load test key', ?, 1, NOW(3))`,
    [createHash('sha256').update(c.apiKey, 'utf8').digest('hex'), c.id],
  );
  const [article] = await sql.query(
    `INSERT INTO ${t}.articles (company_id, article_type_id, article_id, name, active) VALUES (?, 1, 1, 'Yoga class', 1)`,
    [c.id],
  );
  await sql.query(
    `INSERT INTO ${t}.article_prices (article_ref, country_code, currency, unit_amount, vat_basis_points)
     VALUES (?, NULL, 'DKK', 15000, 2500)`,
    [article.insertId],
  );
}

/** Connections of the load database (not this script's own, which has no default database). */
async function loadConnections(sql) {
  const [rows] = await sql.query(
    `SELECT ID AS id, HOST AS host, COMMAND AS command, STATE AS state, TIME AS time, INFO AS info
       FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()`,
    [DB_NAME],
  );
  return rows;
}

async function openTransactions(sql, threadIds) {
  if (!threadIds.length) return [];
  const [rows] = await sql.query(
    `SELECT trx_id, trx_state, trx_started, trx_mysql_thread_id, trx_query
       FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id IN (?)`,
    [threadIds],
  );
  return rows;
}

/** Which of our child processes owns each local TCP port (/proc: socket inode -> pid). */
function portOwners(services) {
  const inodeToName = new Map();
  for (const service of services) {
    try {
      for (const fd of readdirSync(`/proc/${service.pid}/fd`)) {
        try {
          const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${service.pid}/fd/${fd}`));
          if (m) inodeToName.set(m[1], service.name);
        } catch {
          // closed meanwhile
        }
      }
    } catch {
      // process gone
    }
  }
  const owners = new Map();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      const localPort = parseInt(f[1].split(':')[1], 16);
      const name = inodeToName.get(f[9]);
      if (name) owners.set(localPort, name);
    }
  }
  return owners;
}

// ---------------------------------------------------------------- emulator, as Stripe is queried
async function listSessions(emulatorUrl, account, status) {
  const sessions = [];
  let after;
  for (let page = 0; page < 1000; page++) {
    const query = new URLSearchParams({ limit: '100' });
    if (status) query.set('status', status);
    if (after) query.set('starting_after', after);
    const response = await fetch(`${emulatorUrl}/v1/checkout/sessions?${query}`, {
      headers: { Authorization: `Bearer ${STRIPE_KEY}`, 'Stripe-Account': account },
      signal: AbortSignal.timeout(10_000),
    });
    const body = await response.json();
    if (!response.ok)
      throw new Error(`emulator list ${account}: ${response.status} ${JSON.stringify(body)}`);
    sessions.push(...body.data);
    if (!body.has_more || !body.data.length) return sessions;
    after = body.data.at(-1).id;
  }
  throw new Error(`emulator list ${account}: more than 1000 pages`);
}

// ---------------------------------------------------------------- load
function newProbe(instance) {
  return {
    instance,
    statuses: {},
    conflicts: 0, // 409 CheckoutInProgress
    unexpected: [], // samples: anything but 200 / 409 CheckoutInProgress
    unexpectedCount: 0,
    serverErrors: 0,
    sessionIds: new Set(),
    badBodies: 0,
  };
}

function loadRequest(probe) {
  return {
    method: 'POST',
    path: CHECKOUT_PATH,
    setupRequest(request, context) {
      const payable = PAYABLES[Math.floor(Math.random() * PAYABLES.length)];
      context.payable = payable;
      context.sentAt = Date.now();
      return {
        ...request,
        headers: { 'content-type': 'application/json', 'x-api-key': payable.company.apiKey },
        body: JSON.stringify({
          CompanyId: payable.company.id,
          CountryCode: payable.company.country,
          Articles: payable.company.articles,
          InternalReferenceId: payable.ref,
          UiMode: 'hosted',
        }),
      };
    },
    onResponse(status, body, context) {
      probe.statuses[status] = (probe.statuses[status] ?? 0) + 1;
      let parsed;
      try {
        parsed = JSON.parse(body);
      } catch {
        parsed = undefined;
      }
      if (status === 200) {
        if (parsed?.SessionId) probe.sessionIds.add(parsed.SessionId);
        else probe.badBodies++;
        return;
      }
      if (status === 409 && parsed?.ResponseStatus?.ErrorCode === 'CheckoutInProgress') {
        probe.conflicts++;
        return;
      }
      if (status >= 500) probe.serverErrors++;
      probe.unexpectedCount++;
      if (probe.unexpected.length < 5) {
        probe.unexpected.push({
          instance: probe.instance,
          status,
          company: context.payable?.company.id,
          ref: context.payable?.ref,
          at: new Date(context.sentAt ?? Date.now()).toISOString(),
          body: String(body ?? '').slice(0, 800),
        });
      }
    },
  };
}

function runInstanceLoad(service, probe) {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: service.url,
        connections: CONNECTIONS / 2,
        duration: DURATION_S,
        timeout: 15,
        skipAggregateResult: true,
        requests: [loadRequest(probe)],
      },
      (error, result) => {
        clearTimeout(cap);
        if (error) reject(error);
        else resolve(result);
      },
    );
    const cap = setTimeout(() => instance.stop(), (DURATION_S + 15) * 1000);
  });
}

// ---------------------------------------------------------------- settle + checks
async function settle(sql, emulator, services) {
  const started = performance.now();
  let previous = '';
  let stableFor = 0;
  let last;
  while (performance.now() - started < SETTLE_MS) {
    const conns = await loadConnections(sql);
    const busy = conns.filter((c) => c.command !== 'Sleep');
    const trx = await openTransactions(
      sql,
      conns.map((c) => c.id),
    );
    const [[locks]] = await sql.query(
      `SELECT COUNT(*) AS n FROM \`${DB_NAME}\`.payables WHERE lock_token IS NOT NULL`,
    );
    const [[creating]] = await sql.query(
      `SELECT COUNT(*) AS n FROM \`${DB_NAME}\`.checkouts WHERE state = 'creating'`,
    );
    const counts = await emulator.counts();
    last = {
      busy: busy.length,
      trx: trx.length,
      locked: Number(locks.n),
      creating: Number(creating.n),
      stripeInFlight: counts.inFlight,
      overPool: Object.values(countByInstance(conns, services)).some((n) => n > POOL_SIZE),
    };
    const now = JSON.stringify({ ...last, v1: counts.v1 });
    const quiet =
      !last.busy &&
      !last.trx &&
      !last.locked &&
      !last.creating &&
      !last.stripeInFlight &&
      !last.overPool;
    stableFor = quiet && now === previous ? stableFor + 1 : 0;
    previous = now;
    if (stableFor >= 3) return { settled: true, ms: performance.now() - started, last };
    await sleep(300);
  }
  return { settled: false, ms: performance.now() - started, last };
}

function countByInstance(conns, services) {
  const owners = portOwners(services);
  const counts = Object.fromEntries(services.map((s) => [s.name, 0]));
  counts.unknown = 0;
  for (const conn of conns) {
    const port = Number(String(conn.host).split(':').at(-1));
    const owner = owners.get(port) ?? 'unknown';
    counts[owner]++;
  }
  return counts;
}

async function collectState(sql, emulatorUrl) {
  const [rows] = await sql.query(
    `SELECT p.company_id AS companyId, p.internal_reference_id AS ref, c.id, c.state,
            c.stripe_session_id AS sessionId, c.stripe_account_id AS account, c.invalidated_by AS invalidatedBy,
            c.created_at AS createdAt
       FROM \`${DB_NAME}\`.checkouts c JOIN \`${DB_NAME}\`.payables p ON p.id = c.payable_id
      ORDER BY c.created_at`,
  );
  const [payables] = await sql.query(
    `SELECT company_id AS companyId, internal_reference_id AS ref, lock_token AS lockToken, paid_at AS paidAt
       FROM \`${DB_NAME}\`.payables`,
  );
  const sessions = [];
  const open = [];
  for (const company of COMPANIES) {
    for (const s of await listSessions(emulatorUrl, company.account))
      sessions.push({ ...s, account: company.account });
    for (const s of await listSessions(emulatorUrl, company.account, 'open'))
      open.push({ ...s, account: company.account });
  }
  return { rows, payables, sessions, open };
}

function evaluate({ state, probes, services, results, settleInfo, conns, trx, healths }) {
  const checks = [];
  const add = (name, pass, detail = '', evidence = undefined) =>
    checks.push({ name, pass, detail, evidence });

  // ---- answers
  const statuses = {};
  for (const p of probes)
    for (const [k, v] of Object.entries(p.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  const serverErrors = probes.reduce((n, p) => n + p.serverErrors, 0);
  const unexpected = probes.reduce((n, p) => n + p.unexpectedCount, 0);
  const samples = probes.flatMap((p) => p.unexpected);
  const socketErrors = results.reduce((n, r) => n + r.errors, 0);
  const timeouts = results.reduce((n, r) => n + r.timeouts, 0);
  add(
    'no 5xx answer',
    serverErrors === 0,
    `${serverErrors} × 5xx`,
    serverErrors ? samples.filter((s) => s.status >= 500) : undefined,
  );
  add(
    'every answer is 200 or 409 CheckoutInProgress (no other status, no socket error/timeout)',
    unexpected === 0 && socketErrors === 0 && timeouts === 0,
    `${unexpected} other answers, ${socketErrors} socket errors, ${timeouts} timeouts`,
    unexpected ? samples : undefined,
  );
  const badBodies = probes.reduce((n, p) => n + p.badBodies, 0);
  add('every 200 carries a SessionId', badBodies === 0, `${badBodies} without`);

  // ---- per payable, both sides
  const rowsBy = new Map();
  for (const row of state.rows) {
    const key = payableKey(row.companyId, row.ref);
    if (!rowsBy.has(key)) rowsBy.set(key, []);
    rowsBy.get(key).push(row);
  }
  const sessionsBy = new Map();
  const accountOf = new Map(COMPANIES.map((c) => [c.account, c.id]));
  const strangers = [];
  for (const s of state.sessions) {
    const companyId = s.metadata?.CompanyId;
    const key = payableKey(companyId, s.client_reference_id);
    if (
      companyId !== accountOf.get(s.account) ||
      !PAYABLES.some((p) => payableKey(p.company.id, p.ref) === key)
    ) {
      strangers.push({
        id: s.id,
        account: s.account,
        client_reference_id: s.client_reference_id,
        metadata: s.metadata,
      });
      continue;
    }
    if (!sessionsBy.has(key)) sessionsBy.set(key, []);
    sessionsBy.get(key).push(s);
  }
  const openBy = new Map();
  for (const s of state.open) {
    const key = payableKey(s.metadata?.CompanyId, s.client_reference_id);
    if (!openBy.has(key)) openBy.set(key, []);
    openBy.get(key).push(s);
  }

  const bad = {
    emulatorOpen: [],
    dbOpen: [],
    mismatch: [],
    otherSessionNotExpired: [],
    otherRowNotExpired: [],
  };
  for (const { company, ref } of PAYABLES) {
    const key = payableKey(company.id, ref);
    const rows = rowsBy.get(key) ?? [];
    const sessions = sessionsBy.get(key) ?? [];
    const openSessions = openBy.get(key) ?? [];
    const openRows = rows.filter((r) => r.state === 'open');
    const evidence = () => ({
      payable: key,
      rows: rows
        .map(
          (r) =>
            `${r.id} ${r.state} ${r.sessionId ?? '-'} ${r.createdAt?.toISOString?.() ?? r.createdAt}`,
        )
        .slice(-8),
      openSessions: openSessions.map((s) => s.id),
      sessions: sessions.length,
    });
    if (openSessions.length !== 1) bad.emulatorOpen.push(evidence());
    if (openRows.length !== 1) bad.dbOpen.push(evidence());
    if (
      openSessions.length === 1 &&
      openRows.length === 1 &&
      openSessions[0].id !== openRows[0].sessionId
    )
      bad.mismatch.push(evidence());
    const openIds = new Set(openRows.map((r) => r.sessionId));
    for (const s of sessions) {
      if (openIds.size === 1 && openIds.has(s.id)) continue;
      if (s.status !== 'expired')
        bad.otherSessionNotExpired.push({ payable: key, session: s.id, status: s.status });
    }
    for (const r of rows) {
      if (r.state === 'open' && openRows.length === 1) continue;
      if (r.state !== 'expired')
        bad.otherRowNotExpired.push({
          payable: key,
          checkout: r.id,
          state: r.state,
          session: r.sessionId,
        });
    }
  }
  const n = PAYABLES.length;
  add(
    `each of the ${n} payables has exactly one open session at the emulator`,
    !bad.emulatorOpen.length,
    `${n - bad.emulatorOpen.length}/${n} ok`,
    bad.emulatorOpen.slice(0, 5),
  );
  add(
    `each of the ${n} payables has exactly one open row in checkouts`,
    !bad.dbOpen.length,
    `${n - bad.dbOpen.length}/${n} ok`,
    bad.dbOpen.slice(0, 5),
  );
  add(
    'the open row and the open session are the same session',
    !bad.mismatch.length,
    `${bad.mismatch.length} differ`,
    bad.mismatch.slice(0, 5),
  );
  add(
    'every other session of these payables is expired at the emulator',
    !bad.otherSessionNotExpired.length,
    `${bad.otherSessionNotExpired.length} not expired`,
    bad.otherSessionNotExpired.slice(0, 10),
  );
  add(
    'every other checkouts row of these payables is expired',
    !bad.otherRowNotExpired.length,
    `${bad.otherRowNotExpired.length} not expired`,
    bad.otherRowNotExpired.slice(0, 10),
  );

  const known = new Map(state.rows.filter((r) => r.sessionId).map((r) => [r.sessionId, r]));
  const unknown = state.sessions
    .filter((s) => !known.has(s.id))
    .map((s) => ({ id: s.id, account: s.account, status: s.status, ref: s.client_reference_id }));
  add(
    'no session at the emulator that the database does not know',
    !unknown.length && !strangers.length,
    `${unknown.length} unknown, ${strangers.length} with foreign metadata`,
    [...unknown.slice(0, 10), ...strangers.slice(0, 5)],
  );
  const emulatorById = new Map(state.sessions.map((s) => [s.id, s]));
  const disagree = [];
  for (const row of state.rows) {
    if (!row.sessionId) continue;
    const s = emulatorById.get(row.sessionId);
    if (!s || s.status !== row.state || s.account !== row.account)
      disagree.push({
        checkout: row.id,
        state: row.state,
        session: row.sessionId,
        emulator: s ? s.status : 'missing',
      });
  }
  add(
    "every checkouts row's session exists at the emulator in the same state",
    !disagree.length,
    `${disagree.length} disagree`,
    disagree.slice(0, 10),
  );
  const handedOut = new Set(probes.flatMap((p) => [...p.sessionIds]));
  const notInDb = [...handedOut].filter((id) => !known.has(id));
  add(
    'every SessionId answered with 200 is in checkouts',
    !notInDb.length,
    `${notInDb.length} missing`,
    notInDb.slice(0, 10),
  );

  // ---- leases, pools, transactions, processes
  const locked = state.payables.filter((p) => p.lockToken);
  const creating = state.rows.filter((r) => r.state === 'creating');
  add(
    'every payable lease released, no checkout left creating',
    !locked.length && !creating.length,
    `${locked.length} locked, ${creating.length} creating`,
    [...locked, ...creating].slice(0, 10),
  );
  add(
    `in-flight work settled (within ${SETTLE_MS / 1000} s)`,
    settleInfo.settled,
    `${(settleInfo.ms / 1000).toFixed(1)} s`,
    settleInfo.settled ? undefined : settleInfo.last,
  );
  const byInstance = countByInstance(conns, services);
  const poolOk = services.every((s) => byInstance[s.name] <= POOL_SIZE) && byInstance.unknown === 0;
  add(
    `each instance's pool back at idle size (≤ ${POOL_SIZE} connections of ${DB_NAME})`,
    poolOk,
    services.map((s) => `${s.name}: ${byInstance[s.name]}`).join(', ') +
      `, unattributed: ${byInstance.unknown}`,
  );
  const busy = conns.filter((c) => c.command !== 'Sleep');
  add(
    'no connection of the load database busy (all Sleep)',
    !busy.length,
    `${busy.length} busy`,
    busy.slice(0, 10),
  );
  add(
    'no open transaction (information_schema.INNODB_TRX)',
    !trx.length,
    `${trx.length} open`,
    trx.slice(0, 10),
  );
  const alive = services.filter((s) => s.child.exitCode === null && s.child.signalCode === null);
  const healthy = healths.filter((h) => h.status === 200);
  add(
    'both instances alive and /health 200 after the run',
    alive.length === 2 && healthy.length === 2,
    healths.map((h) => `${h.name}: ${h.status}`).join(', '),
  );

  return { checks, statuses, serverErrors, unexpected, socketErrors, timeouts };
}

/** --sabotage: breaks the invariants on purpose, to show that the checks see it. */
async function sabotage(sql, emulatorUrl) {
  const [c1, c2] = COMPANIES;
  const form = new URLSearchParams({
    mode: 'payment',
    success_url: 'http://127.0.0.1/ok',
    client_reference_id: 'load-c1-p01',
    'metadata[CompanyId]': c1.id,
    'metadata[InternalReferenceId]': 'load-c1-p01',
    'line_items[0][quantity]': '1',
    'line_items[0][price_data][currency]': 'sek',
    'line_items[0][price_data][unit_amount]': '100',
    'line_items[0][price_data][product_data][name]': 'sabotage',
  });
  const response = await fetch(`${emulatorUrl}/v1/checkout/sessions`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${STRIPE_KEY}`,
      'Stripe-Account': c1.account,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: form,
  });
  const session = await response.json();
  console.log(
    `load: --sabotage: planted open session ${session.id ?? JSON.stringify(session)} for load-c1-p01`,
  );
  const [result] = await sql.query(
    `UPDATE \`${DB_NAME}\`.checkouts SET state = 'open' WHERE state = 'expired' AND payable_id =
       (SELECT id FROM \`${DB_NAME}\`.payables WHERE company_id = ? AND internal_reference_id = 'load-c2-p01')
     LIMIT 1`,
    [c2.id],
  );
  console.log(
    `load: --sabotage: reopened ${result.affectedRows} expired checkouts row of load-c2-p01`,
  );
}

// ---------------------------------------------------------------- main
async function main() {
  if (!existsSync(join(ROOT, 'app', 'dist', 'main.js')))
    fail('app/dist/ is missing: run `npm run build` (or use `npm run test:load`)');
  tempDir = mkdtempSync(join(tmpdir(), 'payments-load-'));
  const t0 = performance.now();
  let sql;
  let exitCode = 1;
  try {
    sql = await createConnection({
      uri: `${MYSQL_URL}/`,
      connectTimeout: 5000,
      dateStrings: false,
    });
    await recreateDatabase(sql);
    const emulator = await startCountingEmulator('load emulator');
    const a = await startService('A', emulator.url);
    await insertThirdCompany(sql);
    const b = await startService('B', emulator.url);
    const services = [a, b];
    console.log(
      `load: ${DB_URL}; instance A pid ${a.pid} at ${a.url}, B pid ${b.pid} at ${b.url}; emulator at ${emulator.url} (ready in ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    );

    // one create per company, one through each instance: a misconfiguration shows here, clearly
    for (const [i, company] of COMPANIES.entries()) {
      const service = services[i % 2];
      const ref = PAYABLES.find((p) => p.company === company).ref;
      const response = await fetch(`${service.url}${CHECKOUT_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': company.apiKey },
        body: JSON.stringify({
          CompanyId: company.id,
          CountryCode: company.country,
          Articles: company.articles,
          InternalReferenceId: ref,
          UiMode: 'hosted',
        }),
        signal: AbortSignal.timeout(15_000),
      });
      if (response.status !== 200)
        throw new Error(
          `first create for ${company.id} via ${service.name}: ${response.status} ${await response.text()}`,
        );
    }
    const before = await emulator.counts();

    console.log(
      `load: autocannon ${DURATION_S} s, ${CONNECTIONS} connections (${CONNECTIONS / 2} per instance), ` +
        `${COMPANIES.length} companies × ${PAYABLES_PER_COMPANY} payables, random payable per request ...`,
    );
    const probes = services.map((s) => newProbe(s.name));
    const startedAt = performance.now();
    const results = await Promise.all(services.map((s, i) => runInstanceLoad(s, probes[i])));
    const elapsedS = (performance.now() - startedAt) / 1000;
    const total = autocannon.aggregateResult(results, {
      url: [a.url, b.url],
      connections: CONNECTIONS,
    });

    const settleInfo = await settle(sql, emulator, services);
    if (opts.sabotage) await sabotage(sql, emulator.url);
    const after = await emulator.counts();
    const conns = await loadConnections(sql);
    const trx = await openTransactions(
      sql,
      conns.map((c) => c.id),
    );
    const state = await collectState(sql, emulator.url);
    const healths = await Promise.all(
      services.map(async (s) => {
        try {
          const r = await fetch(`${s.url}/health`, { signal: AbortSignal.timeout(5_000) });
          return { name: s.name, status: r.status };
        } catch (error) {
          return { name: s.name, status: `error ${error.message}` };
        }
      }),
    );
    const verdict = evaluate({ state, probes, services, results, settleInfo, conns, trx, healths });

    // ---- figures
    const created =
      (after.byEndpointStatus['POST /v1/checkout/sessions 200'] ?? 0) -
      (before.byEndpointStatus['POST /v1/checkout/sessions 200'] ?? 0);
    const expired =
      (after.byEndpointStatus['POST /v1/checkout/sessions/{id}/expire 200'] ?? 0) -
      (before.byEndpointStatus['POST /v1/checkout/sessions/{id}/expire 200'] ?? 0);
    const stripeNon200 = Object.entries(after.byEndpointStatus).filter(
      ([k]) => !k.endsWith(' 200'),
    );
    const abandoned = results.reduce(
      (n, r) => n + Math.max(0, r.totalRequests - r.totalCompletedRequests),
      0,
    );
    const ok = verdict.statuses['200'] ?? 0;
    const conflicts = probes.reduce((n, p) => n + p.conflicts, 0);
    const other = verdict.unexpected + verdict.socketErrors + verdict.timeouts;
    console.log('');
    const perInstance = results.map((r, i) => {
      const one = autocannon.aggregateResult([r], {
        url: services[i].url,
        connections: CONNECTIONS / 2,
      });
      return `${services[i].name} ${one.requests.total} (p99 ${one.latency.p99} ms)`;
    });
    console.log(
      `load: requests        ${total.requests.total} in ${elapsedS.toFixed(1)} s = ${(total.requests.total / elapsedS).toFixed(1)} req/s (${perInstance.join(', ')}; ${abandoned} abandoned in flight at the end)`,
    );
    console.log(
      `load: latency         p50 ${total.latency.p50} ms, p90 ${total.latency.p90} ms, p99 ${total.latency.p99} ms, max ${total.latency.max} ms`,
    );
    console.log(
      `load: answers         200: ${ok}, 409 CheckoutInProgress: ${conflicts}, other: ${other} (5xx: ${verdict.serverErrors}); by status ${JSON.stringify(verdict.statuses)}`,
    );
    console.log(
      `load: Stripe          ${created} sessions created, ${expired} expired during the run; ${state.sessions.length} sessions at the emulator (${state.open.length} open); checkouts rows: ${state.rows.length}`,
    );
    if (stripeNon200.length)
      console.log(`load: Stripe non-200  ${JSON.stringify(Object.fromEntries(stripeNon200))}`);
    console.log(
      `load: settled in      ${(settleInfo.ms / 1000).toFixed(1)} s; ${conns.length} connections of ${DB_NAME} afterwards (${JSON.stringify(countByInstance(conns, services))})`,
    );
    console.log('');
    for (const check of verdict.checks) {
      console.log(
        `  ${check.pass ? 'PASS' : 'FAIL'}  ${check.name}${check.detail ? ` — ${check.detail}` : ''}`,
      );
      if (!check.pass && check.evidence !== undefined)
        console.log(
          `        evidence: ${JSON.stringify(check.evidence, null, 1).replace(/\n\s*/g, ' ').slice(0, 3000)}`,
        );
    }
    const warnings = services.flatMap((s) =>
      s.log
        .join('')
        .split('\n')
        .filter((l) => /WARN|ERROR/.test(l))
        .map((l) => `${s.name}: ${l}`),
    );
    if (warnings.length) {
      console.log(
        `\nload: the instances logged ${warnings.length} warning/error lines, first ones:`,
      );
      for (const line of warnings.slice(0, 8)) console.log(`  ${line.slice(0, 400)}`);
    }
    const failed = verdict.checks.filter((c) => !c.pass).length;
    const passed = verdict.checks.length - failed;
    if (failed) {
      // keep the service logs for the evidence
      for (const s of services) console.log(`load: log of instance ${s.name}: ${s.logFile}`);
      tempDir = undefined;
    }
    console.log(
      `\nload: ${passed} passed, ${failed} failed (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    );
    exitCode = failed ? 1 : 0;
  } catch (error) {
    console.error(`load: failed: ${error?.stack ?? error}`);
    console.log('load: 0 passed, 1 failed (the run did not complete)');
    if (tempDir) console.error(`load: service logs kept in ${tempDir}`);
    tempDir = undefined;
    exitCode = 1;
  } finally {
    await stopAll();
    await sql?.end().catch(() => {});
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  async (error) => {
    console.error(`load: failed: ${error?.stack ?? error}`);
    await stopAll();
    process.exit(1);
  },
);
