// @ts-check
/* global URL */
// The load test's settings, from the command line and the environment:
//
//   node test/load/run.mjs [--duration 30] [--connections 16] [--expire-delay-ms 250] [--sabotage]
//
//   LOAD_DB_URLS        one database URL per instance, comma-separated (A,B); a single URL is
//                       shared by both. Default: <TEST_MYSQL_URL or mysql://root@127.0.0.1:3306>/payments_load
//   LOAD_AUDIT_DB_URLS  the servers the audits read (every node of a cluster); default: LOAD_DB_URLS
//   LOAD_LABEL          the name of the database setup in the report
import { parseArgs } from 'node:util';

/**
 * @typedef {object} LoadOptions
 * @property {number} durationS
 * @property {number} connections over both instances
 * @property {number} expireDelayMs how long the emulator takes to expire a session
 * @property {boolean} sabotage break the invariants after the run, to see the checks fail
 * @property {[string, string]} dbUrls instance A's, instance B's
 * @property {string[]} auditUrls
 * @property {string} label
 */

export class OptionsError extends Error {}

/**
 * @param {string[]} argv
 * @param {NodeJS.ProcessEnv} env
 * @returns {LoadOptions}
 */
export function loadOptions(argv, env) {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string', default: '30' },
      connections: { type: 'string', default: '16' },
      'expire-delay-ms': { type: 'string', default: '250' },
      sabotage: { type: 'boolean', default: false },
    },
  });
  const durationS = Number(values.duration);
  const connections = Number(values.connections);
  if (!(durationS >= 5 && durationS <= 60)) throw new OptionsError('--duration must be 5..60 s');
  if (!Number.isInteger(connections) || connections < 2 || connections > 40 || connections % 2)
    throw new OptionsError(
      '--connections must be an even integer from 2 to 40 (split over the two instances)',
    );
  const expireDelayMs = Number(values['expire-delay-ms']);
  if (!Number.isInteger(expireDelayMs) || expireDelayMs < 0 || expireDelayMs > 3000)
    throw new OptionsError('--expire-delay-ms must be an integer from 0 to 3000');
  const server = (env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/+$/, '');
  const urls = list(env.LOAD_DB_URLS) ?? [`${server}/payments_load`];
  if (urls.length > 2) throw new OptionsError('LOAD_DB_URLS: one URL per instance, at most two');
  /** @type {[string, string]} */
  const dbUrls = [urls[0], urls[1] ?? urls[0]];
  const auditUrls = list(env.LOAD_AUDIT_DB_URLS) ?? [...new Set(dbUrls)];
  for (const url of [...dbUrls, ...auditUrls]) checkUrl(url);
  const label =
    env.LOAD_LABEL ??
    (auditUrls.length === 1
      ? `MariaDB ${new URL(auditUrls[0]).host}`
      : `${auditUrls.length} MariaDB servers`);
  return {
    durationS,
    connections,
    expireDelayMs,
    sabotage: Boolean(values.sabotage),
    dbUrls,
    auditUrls,
    label,
  };
}

/** @param {string | undefined} value */
function list(value) {
  const items = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
}

/** @param {string} url */
function checkUrl(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw new OptionsError(`not a URL: ${url}`);
  }
  if (!/^(mysql|mariadb):$/.test(parsed.protocol) || !/load/.test(parsed.pathname))
    throw new OptionsError(
      `expected mysql://user@host:port/<database>, the database name containing "load" (it is dropped): ${url}`,
    );
}
