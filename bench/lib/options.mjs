// @ts-check
// The command line of `npm run bench`, checked once: every other module gets plain values.
import { parseArgs } from 'node:util';

export const USAGE = `node bench/run.mjs [--db sqlite|mysql|mysql://root@127.0.0.1:3306/payments_bench]
    [--rows 0] [--cpu-prof] [--duration 8] [--warmup 2] [--connections 10] [--scenarios a,b,c]
    [--rounds 3] [--quiet-wait 10] [--no-reference] [--env NAME=value ...]`;

const DEFAULT_MYSQL = 'mysql://root@127.0.0.1:3306/payments_bench';

/**
 * @typedef {object} BenchOptions
 * @property {'sqlite' | 'mysql'} db
 * @property {string | undefined} mysqlUrl the server and database name when db is mysql
 * @property {number} rows historical checkouts seeded before measuring
 * @property {boolean} cpuProf
 * @property {number} durationS
 * @property {number} warmupS
 * @property {number} connections
 * @property {string[]} scenarios
 * @property {number} rounds interleaved rounds of scenario (a)
 * @property {number} quietWaitS
 * @property {boolean} reference
 * @property {Record<string, string>} extraEnv
 */

export class OptionsError extends Error {}

/**
 * @param {string[]} argv
 * @returns {BenchOptions}
 */
export function benchOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string', default: 'sqlite' },
      rows: { type: 'string', default: '0' },
      'cpu-prof': { type: 'boolean', default: false },
      duration: { type: 'string', default: '8' },
      warmup: { type: 'string', default: '2' },
      connections: { type: 'string', default: '10' },
      scenarios: { type: 'string', default: 'a,b,c' },
      'no-reference': { type: 'boolean', default: false },
      rounds: { type: 'string', default: '3' },
      'quiet-wait': { type: 'string', default: '10' },
      env: { type: 'string', multiple: true, default: [] },
    },
  });
  const db = values.db === 'sqlite' ? 'sqlite' : 'mysql';
  const options = {
    db: /** @type {'sqlite' | 'mysql'} */ (db),
    mysqlUrl: db === 'mysql' ? (values.db === 'mysql' ? DEFAULT_MYSQL : values.db) : undefined,
    rows: Number(values.rows),
    cpuProf: values['cpu-prof'] ?? false,
    durationS: Number(values.duration),
    warmupS: Number(values.warmup),
    connections: Number(values.connections),
    scenarios: String(values.scenarios)
      .split(',')
      .map((s) => s.trim()),
    rounds: Number(values.rounds),
    quietWaitS: Number(values['quiet-wait']),
    reference: !values['no-reference'],
    extraEnv: envPairs(values.env ?? []),
  };
  check(options);
  return options;
}

/** @param {BenchOptions} o */
function check(o) {
  if (!(o.durationS > 0 && o.durationS <= 18) || !(o.warmupS >= 0 && o.warmupS <= 10))
    throw new OptionsError('--duration must be 1..18 s and --warmup 0..10 s');
  if (!Number.isInteger(o.connections) || o.connections < 1)
    throw new OptionsError('--connections must be a positive integer');
  if (!Number.isInteger(o.rounds) || o.rounds < 1 || o.rounds > 6)
    throw new OptionsError('--rounds must be 1..6');
  if (!Number.isInteger(o.rows) || o.rows < 0 || o.rows > 5_000_000)
    throw new OptionsError('--rows must be 0..5000000');
  if (!(o.quietWaitS >= 0 && o.quietWaitS <= 60))
    throw new OptionsError('--quiet-wait must be 0..60 s');
  if (o.scenarios.some((s) => !['a', 'b', 'c'].includes(s)))
    throw new OptionsError('--scenarios is a list of a, b, c');
  if (o.mysqlUrl && !o.mysqlUrl.startsWith('mysql://'))
    throw new OptionsError('--db expects sqlite, mysql or mysql://user@host:port/database');
}

/** @param {string[]} pairs NAME=value */
function envPairs(pairs) {
  return Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf('=');
      if (at < 1) throw new OptionsError(`--env expects NAME=value, got "${pair}"`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}
