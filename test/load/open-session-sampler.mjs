// @ts-check
/* global performance, setTimeout */
// "At most one payable session per payable, at every instant": during the load, the open
// sessions of every account are listed again and again (one page per account is one instant of
// the emulator, which is single-threaded) and counted per payable.
import { COMPANIES } from './fixtures.mjs';
import { listSessions } from './emulator-client.mjs';
import { sessionPayable } from './state.mjs';

/**
 * @typedef {object} OpenSessionSamples
 * @property {number} samples account listings taken
 * @property {number} peak most open sessions one payable had in one listing
 * @property {number} samplesOverOne listings in which some payable had more than one
 * @property {Set<string>} payablesOverOne
 * @property {{ payable: string, sessions: string[] }[]} examples
 */

/**
 * @param {string} emulatorUrl
 * @param {number} durationMs
 * @param {number} [intervalMs]
 * @returns {Promise<OpenSessionSamples>}
 */
export async function sampleOpenSessions(emulatorUrl, durationMs, intervalMs = 200) {
  /** @type {OpenSessionSamples} */
  const result = {
    samples: 0,
    peak: 0,
    samplesOverOne: 0,
    payablesOverOne: new Set(),
    examples: [],
  };
  const until = performance.now() + durationMs;
  while (performance.now() < until) {
    for (const company of COMPANIES) {
      const open = await listSessions(emulatorUrl, company.account, 'open');
      result.samples++;
      /** @type {Map<string, string[]>} */
      const byPayable = new Map();
      for (const session of open) {
        const key = sessionPayable(session);
        byPayable.set(key, [...(byPayable.get(key) ?? []), session.id]);
      }
      let over = false;
      for (const [payable, sessions] of byPayable) {
        result.peak = Math.max(result.peak, sessions.length);
        if (sessions.length < 2) continue;
        over = true;
        result.payablesOverOne.add(payable);
        if (result.examples.length < 5) result.examples.push({ payable, sessions });
      }
      if (over) result.samplesOverOne++;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return result;
}
