// @ts-check
// The load phase: for the duration, the traffic on both instances, the payer and the open-session
// sampler at once, over a fresh hot set of payables; then the stale tabs of the payables paid last.
import { COMPANIES, HotPayables } from './fixtures.mjs';
import { Ledger } from './ledger.mjs';
import { sampleOpenSessions } from './open-session-sampler.mjs';
import { payRemainingStaleTabs, runPayer } from './payer.mjs';
import { runTraffic } from './traffic.mjs';

export const SLOTS_PER_COMPANY = 4;

/**
 * @param {object} p
 * @param {import('./traffic.mjs').Instance[]} p.instances
 * @param {string} p.emulatorUrl
 * @param {number} p.durationS
 * @param {number} p.connections over all instances
 */
export async function driveLoad({ instances, emulatorUrl, durationS, connections }) {
  console.log(
    `load: ${durationS} s, ${connections} connections (${connections / instances.length} per instance), ` +
      `${COMPANIES.length} companies × ${SLOTS_PER_COMPANY} hot payables, re-creates + GETs + status, payments meanwhile ...`,
  );
  const hot = new HotPayables(SLOTS_PER_COMPANY);
  const ledger = new Ledger();
  const durationMs = durationS * 1000;
  const connectionsPerInstance = connections / instances.length;
  const [traffic, samples] = await Promise.all([
    runTraffic({ instances, connectionsPerInstance, durationMs, hot, ledger }),
    sampleOpenSessions(emulatorUrl, durationMs),
    runPayer({ hot, ledger, durationMs }),
  ]);
  await payRemainingStaleTabs(hot, ledger);
  return { ledger, elapsedMs: traffic.elapsedMs, samples };
}
