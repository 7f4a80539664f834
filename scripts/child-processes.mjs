// @ts-check
/* global setTimeout, clearTimeout */
// The child processes of `npm run bench`, `npm run test:load` and `npm run test:cluster`: tracked
// so that none outlives its parent, stopped politely and then firmly, and the counting Stripe
// emulator they share.
import { fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** @typedef {import('node:child_process').ChildProcess} ChildProcess */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** @type {Set<ChildProcess>} */
export const children = new Set();
/** @type {WeakMap<ChildProcess, string>} */
const names = new WeakMap();

/**
 * @template {ChildProcess} T
 * @param {T} child
 * @param {string} name
 * @returns {T}
 */
export function track(child, name) {
  names.set(child, name);
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** @param {ChildProcess} child */
export const childName = (child) => names.get(child) ?? `pid ${child.pid}`;

/** @param {ChildProcess | undefined} child */
export const isRunning = (child) =>
  Boolean(child) && child?.exitCode === null && child?.signalCode === null;

/**
 * @param {ChildProcess | undefined} child
 * @param {NodeJS.Signals} [signal]
 * @param {number} [graceMs]
 */
export async function stopChild(child, signal = 'SIGTERM', graceMs = 10_000) {
  if (!child || !isRunning(child)) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export const stopAll = (graceMs = 5_000) =>
  Promise.all([...children].map((child) => stopChild(child, 'SIGTERM', graceMs)));

process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/**
 * The next IPC message of a type, or an error when the child exits or stays silent.
 * @param {ChildProcess} child
 * @param {string} type
 * @param {number} timeoutMs
 * @param {string} name
 * @returns {Promise<any>}
 */
export function onceMessage(child, type, timeoutMs, name) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => done(reject, new Error(`${name}: no "${type}" within ${timeoutMs} ms`)),
      timeoutMs,
    );
    /** @param {any} message */
    const onMessage = (message) => message?.type === type && done(resolve, message);
    /** @param {number | null} code @param {string | null} signal */
    const onExit = (code, signal) =>
      done(reject, new Error(`${name} exited (${signal ?? code}) before "${type}"`));
    /** @param {(value: any) => void} settle @param {unknown} value */
    const done = (settle, value) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      settle(value);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/**
 * What scripts/counting-emulator.mjs has seen so far.
 * @typedef {object} EmulatorCounts
 * @property {number} v1 /v1 requests arrived
 * @property {number} inFlight /v1 requests not answered yet
 * @property {Record<string, number>} byEndpoint "METHOD endpoint" → arrived
 * @property {Record<string, number>} byStatus status → answered
 * @property {Record<string, number>} byEndpointStatus "METHOD endpoint status" → answered
 * @property {{ pending: number, delivered: number, failed: number }} webhooks event deliveries
 */

/**
 * @typedef {object} CountingEmulator
 * @property {ChildProcess} child
 * @property {string} url
 * @property {() => Promise<EmulatorCounts>} counts
 */

/**
 * scripts/counting-emulator.mjs as a child: its URL and a counts() reader over IPC.
 * @param {string} [label]
 * @param {object} [options]
 * @param {string} [options.webhookUrl] where to POST signed events (none: not sent)
 * @param {string} [options.webhookSecret]
 * @param {number} [options.expireDelayMs] how long every expire takes (default 0)
 * @returns {Promise<CountingEmulator>}
 */
export async function startCountingEmulator(label = 'stripe-emulator', options = {}) {
  /** @type {NodeJS.ProcessEnv} */
  const env = { ...process.env, STRIPE_EMULATOR_PORT: '0', COUNTING_EMULATOR_LABEL: label };
  if (options.webhookUrl) env.COUNTING_EMULATOR_WEBHOOK_URL = options.webhookUrl;
  if (options.webhookSecret) env.COUNTING_EMULATOR_WEBHOOK_SECRET = options.webhookSecret;
  if (options.expireDelayMs) env.COUNTING_EMULATOR_EXPIRE_DELAY_MS = String(options.expireDelayMs);
  const child = track(
    fork(join(ROOT, 'scripts', 'counting-emulator.mjs'), [], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
    label,
  );
  const { url } = await onceMessage(child, 'ready', 30_000, label);
  let nextId = 0;
  return {
    child,
    url,
    counts() {
      const id = ++nextId;
      /** @type {Promise<EmulatorCounts>} */
      const answer = new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${label}: no counts`)), 5_000);
        /** @param {any} message */
        const onMessage = (message) => {
          if (message?.type !== 'counts' || message.id !== id) return;
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve(message.counts);
        };
        child.on('message', onMessage);
      });
      child.send({ type: 'counts', id });
      return answer;
    },
  };
}
