// @ts-check
// Runs test/load/reconcile-once.mjs as a child process against one database and the emulator,
// and reads its report.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { track } from '../../scripts/child-processes.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));

/**
 * @typedef {object} ReconcileOutcome
 * @property {boolean} ok exit 0 and no failed settlement
 * @property {number} passes
 * @property {Record<string, number>} totals
 * @property {string} [error]
 * @property {string} output its last lines
 */

/**
 * @param {NodeJS.ProcessEnv} env the service's environment (DB_URL, STRIPE_*)
 * @returns {Promise<ReconcileOutcome>}
 */
export async function reconcileOnce(env) {
  const child = track(
    spawn(process.execPath, [join(HERE, 'reconcile-once.mjs')], {
      cwd: join(HERE, '..', '..'),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
    'reconciliation',
  );
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const code = await new Promise((resolve) =>
    child.once('exit', (c, signal) => resolve(c ?? signal)),
  );
  const tail = output.split('\n').slice(-15).join('\n');
  const line = /^RECONCILED (.*)$/m.exec(output);
  if (code !== 0 || !line)
    return { ok: false, passes: 0, totals: {}, error: `exited ${code}`, output: tail };
  const { passes, totals } = JSON.parse(line[1]);
  const failed = totals.failed ?? 0;
  return {
    ok: failed === 0,
    passes,
    totals,
    error: failed ? `${failed} settlements failed` : undefined,
    output: tail,
  };
}
