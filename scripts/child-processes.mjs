/* global setTimeout, clearTimeout */
// The child processes of `npm run bench` and `npm run test:load`: tracked so that none outlives
// its parent, stopped politely and then firmly, and the counting Stripe emulator they share.
import { fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const children = new Set();

export function track(child, name) {
  child.childName = name;
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export async function stopChild(child, signal = 'SIGTERM', graceMs = 10_000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
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

/** The next IPC message of a type, or an error when the child exits or stays silent. */
export function onceMessage(child, type, timeoutMs, name) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => done(reject, new Error(`${name}: no "${type}" within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onMessage = (message) => message?.type === type && done(resolve, message);
    const onExit = (code, signal) =>
      done(reject, new Error(`${name} exited (${signal ?? code}) before "${type}"`));
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

/** scripts/counting-emulator.mjs as a child: its URL and a counts() reader over IPC. */
export async function startCountingEmulator(label = 'stripe-emulator') {
  const child = track(
    fork(join(ROOT, 'scripts', 'counting-emulator.mjs'), [], {
      cwd: ROOT,
      env: { ...process.env, STRIPE_EMULATOR_PORT: '0', COUNTING_EMULATOR_LABEL: label },
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
      const answer = new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${label}: no counts`)), 5_000);
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
