// @ts-check
// Reading the state and judging it: the state checks on every audited server, and the whole
// verdict (answers, state and connections per node, node agreement, settling, reconciliation,
// instance health).
import { auditAnswers } from './audit-answers.mjs';
import {
  auditConnections,
  auditInstancesHealthy,
  auditNodesAgree,
  auditReconciliation,
  auditSettled,
} from './audit-infra.mjs';
import { auditState } from './audit-state.mjs';
import { acrossNodes } from './check.mjs';
import { emulatorSessions, nodeState } from './state.mjs';

/**
 * @typedef {object} Snapshot
 * @property {import('./state.mjs').Session[]} sessions
 * @property {import('./state.mjs').NodeState[]} nodes
 * @property {import('./check.mjs').Check[][]} stateChecks per node
 */

/**
 * @param {import('./database.mjs').Database[]} dbs
 * @param {string} emulatorUrl
 * @param {Set<string>} handedOut
 * @returns {Promise<Snapshot>}
 */
export async function snapshot(dbs, emulatorUrl, handedOut) {
  const sessions = await emulatorSessions(emulatorUrl);
  const nodes = await Promise.all(dbs.map(nodeState));
  return { sessions, nodes, stateChecks: nodes.map((n) => auditState(n, sessions, handedOut)) };
}

/** @param {Snapshot} s */
export const stateVerdict = (s) =>
  acrossNodes(s.nodes.map((n, i) => ({ label: n.label, checks: s.stateChecks[i] })));

/**
 * @param {object} p
 * @param {import('./ledger.mjs').Ledger} p.ledger
 * @param {import('./open-session-sampler.mjs').OpenSessionSamples} p.samples
 * @param {Snapshot} p.after
 * @param {{ name: string, pid: number }[]} p.instances
 * @param {{ settled: boolean, ms: number, last: unknown }} p.settled
 * @param {number} p.settleLimitMs
 * @param {import('./reconcile.mjs').ReconcileOutcome} p.reconciliation
 * @param {{ name: string, alive: boolean, health: number | string }[]} p.health
 * @returns {import('./check.mjs').Check[]}
 */
export function verdict({
  ledger,
  samples,
  after,
  instances,
  settled,
  settleLimitMs,
  reconciliation,
  health,
}) {
  const perNode = after.nodes.map((n, i) => ({
    label: n.label,
    checks: [...after.stateChecks[i], auditConnections(n, instances)],
  }));
  return [
    ...auditAnswers(ledger, samples),
    ...acrossNodes(perNode),
    ...(after.nodes.length > 1 ? [auditNodesAgree(after.nodes)] : []),
    auditSettled(settled, settleLimitMs),
    auditReconciliation(reconciliation),
    auditInstancesHealthy(health),
  ];
}
