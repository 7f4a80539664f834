// @ts-check
/* global clearTimeout, setTimeout, URL */
// The built standalone service (app/dist/main.js) as a tracked child process: started with the
// environment the caller gives, ready once it logs the URL it listens on, its output kept.
import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { track } from './child-processes.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const LISTENING = /Payments service listening on (http:\/\/[^\s/]+)/;
const KEPT_CHUNKS = 5000;

/**
 * Node's flags from `npm run start:prod` (e.g. the young generation's size), so that what the
 * bench and the load test run is what ships.
 * @returns {string[]}
 */
function shippedNodeFlags() {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const command = String(pkg.scripts['start:prod']);
  const [node, ...flags] = command.trim().split(/\s+/);
  const script = flags.pop() ?? '';
  if (
    node !== 'node' ||
    !/^(\.\/)?app\/dist\/main\.js$/.test(script) ||
    flags.some((f) => !f.startsWith('-'))
  )
    throw new Error(
      `package.json start:prod is not "node [--flag ...] app/dist/main.js": ${command}`,
    );
  return flags;
}

/**
 * @typedef {object} ServiceProcess
 * @property {string} name
 * @property {import('node:child_process').ChildProcess} child
 * @property {number} pid
 * @property {string} url e.g. http://127.0.0.1:41234
 * @property {number} port
 * @property {() => string} output the recent stdout + stderr
 * @property {string | undefined} logFile everything it wrote, when asked for
 */

/**
 * @param {object} options
 * @param {string} options.name
 * @param {NodeJS.ProcessEnv} options.env the whole environment of the child
 * @param {string[]} [options.nodeArgs] e.g. --cpu-prof
 * @param {string} [options.logFile]
 * @param {number} [options.startTimeoutMs]
 * @returns {Promise<ServiceProcess>}
 */
export async function startServiceProcess({
  name,
  env,
  nodeArgs = [],
  logFile,
  startTimeoutMs = 60_000,
}) {
  const child = track(
    spawn(
      process.execPath,
      [...shippedNodeFlags(), ...nodeArgs, join(ROOT, 'app', 'dist', 'main.js')],
      {
        cwd: ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    ),
    `service ${name}`,
  );
  /** @type {string[]} */
  const chunks = [];
  const output = () => chunks.join('');
  /** @param {Buffer} chunk */
  const keep = (chunk) => {
    const text = chunk.toString();
    chunks.push(text);
    if (chunks.length > KEPT_CHUNKS) chunks.splice(0, KEPT_CHUNKS / 5);
    if (logFile) appendFileSync(logFile, text);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        finish(
          reject,
          new Error(`service ${name} did not start in ${startTimeoutMs} ms:\n${output()}`),
        ),
      startTimeoutMs,
    );
    const check = () => {
      const match = LISTENING.exec(output());
      if (match) finish(resolve, match[1]);
    };
    /** @param {number | null} code @param {string | null} signal */
    const onExit = (code, signal) =>
      finish(
        reject,
        new Error(`service ${name} exited (${signal ?? code}) at start:\n${output()}`),
      );
    /** @param {(value: any) => void} settle @param {unknown} value */
    const finish = (settle, value) => {
      clearTimeout(timer);
      child.stdout?.off('data', check);
      child.off('exit', onExit);
      settle(value);
    };
    child.stdout?.on('data', check);
    child.once('exit', onExit);
  });
  return {
    name,
    child,
    pid: /** @type {number} */ (child.pid),
    url,
    port: Number(new URL(url).port),
    output,
    logFile,
  };
}
