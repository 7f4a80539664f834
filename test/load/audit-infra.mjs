// @ts-check
// Checks on the machinery after the load: every node holds the same rows, the connection pools
// are back at idle with nothing busy and no transaction open, the work settled, the final
// reconciliation ran cleanly, both instances are alive and healthy.
import { localPortOwners } from '../../scripts/local-ports.mjs';
import { check } from './check.mjs';

/** TypeORM's mysql `poolSize` in app/src/database/typeorm-options.ts: the idle ceiling per instance. */
export const POOL_SIZE = 10;

/**
 * @param {import('./state.mjs').NodeState} node
 * @param {{ name: string, pid: number }[]} instances
 */
export function auditConnections(node, instances) {
  const owners = localPortOwners(instances);
  /** @type {Record<string, number>} */
  const perInstance = Object.fromEntries(instances.map((i) => [i.name, 0]));
  let unattributed = 0;
  for (const conn of node.connections) {
    const owner = owners.get(Number(String(conn.host).split(':').at(-1)));
    if (owner) perInstance[owner]++;
    else unattributed++;
  }
  const busy = node.connections.filter((c) => c.command !== 'Sleep');
  const overPool = Object.values(perInstance).some((n) => n > POOL_SIZE);
  return check(
    `connections idle: none busy, no open transaction, ≤ ${POOL_SIZE} per instance, none of another process`,
    !busy.length && !node.transactions.length && !overPool && !unattributed,
    `${busy.length} busy, ${node.transactions.length} transactions open, per instance ${JSON.stringify(perInstance)}, ${unattributed} unattributed`,
    {
      evidence: { busy: busy.slice(0, 5), transactions: node.transactions.slice(0, 5) },
      figures: {
        'busy connections / open transactions after the load': `${busy.length} / ${node.transactions.length}`,
      },
    },
  );
}

/** @param {import('./state.mjs').NodeState[]} nodes */
export function auditNodesAgree(nodes) {
  const digest = (/** @type {import('./state.mjs').NodeState} */ n) =>
    JSON.stringify([n.rows, n.payables]);
  const reference = digest(nodes[0]);
  const differing = nodes.filter((n) => digest(n) !== reference).map((n) => n.label);
  return check(
    'every node holds the same checkouts and payables',
    differing.length === 0,
    differing.length
      ? `${differing.join(', ')} differ from ${nodes[0].label}`
      : `${nodes.length} nodes identical (${nodes[0].rows.length} checkouts)`,
    {
      evidence: nodes.map((n) => ({
        node: n.label,
        checkouts: n.rows.length,
        payables: n.payables.length,
      })),
    },
  );
}

/** @param {{ settled: boolean, ms: number, last: unknown }} settle @param {number} limitMs */
export function auditSettled(settle, limitMs) {
  return check(
    `in-flight work settled (within ${limitMs / 1000} s)`,
    settle.settled,
    `${(settle.ms / 1000).toFixed(1)} s`,
    { evidence: settle.last },
  );
}

/** @param {import('./reconcile.mjs').ReconcileOutcome} outcome */
export function auditReconciliation(outcome) {
  return check(
    'the final reconciliation ran without failures',
    outcome.ok,
    outcome.ok
      ? `${outcome.passes} passes: ${JSON.stringify(outcome.totals)}`
      : (outcome.error ?? 'failed'),
    {
      evidence: outcome.output,
      figures: { 'final reconciliation': outcome.ok ? JSON.stringify(outcome.totals) : 'failed' },
    },
  );
}

/** @param {{ name: string, alive: boolean, health: number | string }[]} instances */
export function auditInstancesHealthy(instances) {
  return check(
    'both instances alive and /health 200 after the run',
    instances.every((i) => i.alive && i.health === 200),
    instances
      .map((i) => `${i.name}: ${i.alive ? 'alive' : 'DEAD'}, /health ${i.health}`)
      .join('; '),
  );
}
