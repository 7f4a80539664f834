#!/usr/bin/env node
// @ts-check
// `npm run test:cluster`: the load test (test/load/run.mjs) on a 3-node MariaDB Galera cluster
// on loopback (scripts/galera-cluster.mjs): instance A on node 1, instance B on node 2, the
// audits on all three nodes. The cluster is torn down afterwards whatever happened (failure,
// Ctrl-C); a cluster that cannot come up fails the run with the reason. Options are passed on
// to run.mjs (--duration, --connections, --sabotage).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ClusterUnavailable, startGaleraCluster } from '../../scripts/galera-cluster.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const DATABASE = 'payments_load';

/** @type {import('../../scripts/galera-cluster.mjs').GaleraCluster | undefined} */
let cluster;
/** @type {import('node:child_process').ChildProcess | undefined} */
let load;

for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
  process.once(signal, () => {
    console.error(`\ncluster: ${signal}, tearing the cluster down`);
    // a Ctrl-C reaches run.mjs by itself (same process group); a kill does not
    if (signal !== 'SIGINT') load?.kill(signal);
    void (cluster?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}

async function main() {
  const started = Date.now();
  try {
    cluster = await startGaleraCluster({ size: 3, log: (line) => console.log(`cluster: ${line}`) });
  } catch (error) {
    const reason =
      error instanceof ClusterUnavailable
        ? error.message
        : String(/** @type {Error} */ (error)?.stack ?? error);
    console.error(`cluster: the Galera cluster did not come up: ${reason}`);
    console.log('cluster: 0 passed, 1 failed (no cluster)');
    return 1;
  }
  const [node1, node2] = cluster.nodes;
  const env = {
    ...process.env,
    LOAD_DB_URLS: [node1, node2].map((n) => `${n.url}/${DATABASE}`).join(','),
    LOAD_AUDIT_DB_URLS: cluster.nodes.map((n) => `${n.url}/${DATABASE}`).join(','),
    LOAD_LABEL: `Galera ${cluster.nodes.length}-node cluster (A on ${node1.name}, B on ${node2.name})`,
  };
  load = spawn(process.execPath, [join(HERE, 'run.mjs'), ...process.argv.slice(2)], {
    env,
    stdio: 'inherit',
  });
  const code = await new Promise((resolve) =>
    load?.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0))),
  );
  await cluster.stop();
  console.log(`cluster: torn down; ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
  return code;
}

process.exit(await main());
