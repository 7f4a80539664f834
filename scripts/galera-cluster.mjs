// @ts-check
/* global clearTimeout, setInterval, setTimeout */
// A throw-away MariaDB Galera cluster on loopback for `npm run test:cluster`: every node its own
// datadir, socket, SQL port and gcomm/IST/SST ports on 127.0.0.1 in one temporary directory, run
// as the `mysql` user (rsync SST refuses root-owned datadirs), the first bootstrapped with
// --wsrep-new-cluster, the others joined by rsync SST. Ready when every node is Synced in a
// Primary component of the full size. stop() kills every node's process group and removes the
// directory; so does this process's exit, and a later start reaps what a killed run left behind.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConnection } from 'mysql2/promise';
import { freeLoopbackPorts } from './local-ports.mjs';

const DIR_PREFIX = 'payments-galera-';
const OWNER_FILE = 'owner.pid';
const NODE_PID_FILE = 'node.pid';
const PROVIDER_CANDIDATES = [
  '/usr/lib/galera/libgalera_smm.so',
  '/usr/lib/galera-4/libgalera_smm.so',
  '/usr/lib64/galera-4/libgalera_smm.so',
  '/usr/lib64/galera/libgalera_smm.so',
  '/usr/lib/libgalera_smm.so',
];
const POLL_MS = 250;

/** Galera cannot run here; the message says exactly what is missing or what the node said. */
export class ClusterUnavailable extends Error {}

/**
 * @typedef {object} GaleraNode
 * @property {string} name node1, node2, ...
 * @property {string} dir
 * @property {number} sqlPort
 * @property {string} url mysql://root@127.0.0.1:<sqlPort> (no database)
 * @property {string} errorLog
 * @property {import('node:child_process').ChildProcess | undefined} process
 */

/**
 * @typedef {object} GaleraCluster
 * @property {GaleraNode[]} nodes
 * @property {string} dir
 * @property {number} readyMs from the call to a synced cluster
 * @property {() => Promise<void>} stop kills the nodes, removes the directory; safe to call twice
 */

/**
 * @param {object} [options]
 * @param {number} [options.size]
 * @param {(line: string) => void} [options.log]
 * @param {number} [options.timeoutMs] to a synced cluster, install included
 * @returns {Promise<GaleraCluster>}
 */
export async function startGaleraCluster({ size = 3, log = () => {}, timeoutMs = 120_000 } = {}) {
  const started = Date.now();
  const deadline = started + timeoutMs;
  reapAbandonedClusters(log);
  const tools = findTools();
  const runAs = nodeUser();
  const dir = mkdtempSync(join(tmpdir(), DIR_PREFIX));
  writeFileSync(join(dir, OWNER_FILE), String(process.pid));
  const ports = await freeLoopbackPorts(size * 4);
  const clusterName = `payments_load_${randomBytes(4).toString('hex')}`;
  const gcommPorts = Array.from({ length: size }, (_, i) => ports[i * 4 + 1]);
  /** @type {GaleraNode[]} */
  const nodes = Array.from({ length: size }, (_, i) => {
    const name = `node${i + 1}`;
    const nodeDir = join(dir, name);
    mkdirSync(join(nodeDir, 'data'), { recursive: true });
    const [sqlPort, gcommPort, istPort, sstPort] = ports.slice(i * 4, i * 4 + 4);
    writeFileSync(
      join(nodeDir, 'my.cnf'),
      nodeConfig({
        name,
        nodeDir,
        sqlPort,
        gcommPort,
        istPort,
        sstPort,
        gcommPorts,
        clusterName,
        provider: tools.provider,
      }),
    );
    return {
      name,
      dir: nodeDir,
      sqlPort,
      url: `mysql://root@127.0.0.1:${sqlPort}`,
      errorLog: join(nodeDir, 'error.log'),
      process: undefined,
    };
  });
  if (runAs) chownTree(dir, runAs);

  let stopped = false;
  const killNodes = () => {
    for (const node of nodes) killGroup(node.process);
  };
  const onExit = () => {
    killNodes();
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  };
  process.on('exit', onExit);
  const cluster = {
    nodes,
    dir,
    readyMs: 0,
    async stop() {
      if (stopped) return;
      stopped = true;
      const exits = nodes.map((node) => exited(node.process, 5_000));
      killNodes();
      await Promise.all(exits);
      rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
      process.off('exit', onExit);
    },
  };

  try {
    await installDataDirectory(tools, nodes[0], runAs, deadline);
    log(`galera: ${nodes[0].name} data directory installed (${seconds(started)} s)`);
    nodes[0].process = startNode(tools, nodes[0], runAs, ['--wsrep-new-cluster']);
    await waitFor(nodes.slice(0, 1), 1, deadline);
    log(`galera: ${nodes[0].name} bootstrapped the cluster (${seconds(started)} s)`);
    for (const node of nodes.slice(1)) node.process = startNode(tools, node, runAs, []);
    await waitFor(nodes, size, deadline);
    cluster.readyMs = Date.now() - started;
    log(
      `galera: ${size} nodes synced in ${seconds(started)} s (${nodes.map((n) => `${n.name} 127.0.0.1:${n.sqlPort}`).join(', ')})`,
    );
    return cluster;
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}

/**
 * @param {object} p
 * @param {string} p.name
 * @param {string} p.nodeDir
 * @param {number} p.sqlPort
 * @param {number} p.gcommPort
 * @param {number} p.istPort
 * @param {number} p.sstPort
 * @param {number[]} p.gcommPorts
 * @param {string} p.clusterName
 * @param {string} p.provider
 */
function nodeConfig({
  name,
  nodeDir,
  sqlPort,
  gcommPort,
  istPort,
  sstPort,
  gcommPorts,
  clusterName,
  provider,
}) {
  return `[mysqld]
datadir=${join(nodeDir, 'data')}
socket=${join(nodeDir, 'mysqld.sock')}
pid-file=${join(nodeDir, 'mysqld.pid')}
log-error=${join(nodeDir, 'error.log')}
port=${sqlPort}
bind-address=127.0.0.1
skip-name-resolve
character-set-server=utf8mb4
collation-server=utf8mb4_general_ci
binlog_format=ROW
default_storage_engine=InnoDB
innodb_autoinc_lock_mode=2
innodb_buffer_pool_size=64M
innodb_log_file_size=48M
# a test cluster on a shared CI machine: durability is not under test, certification is
innodb_flush_log_at_trx_commit=2
max_connections=300
wsrep_on=ON
wsrep_provider=${provider}
wsrep_cluster_name=${clusterName}
wsrep_cluster_address=gcomm://${gcommPorts.map((port) => `127.0.0.1:${port}`).join(',')}
wsrep_node_name=${name}
wsrep_node_address=127.0.0.1:${gcommPort}
wsrep_provider_options=gmcast.listen_addr=tcp://127.0.0.1:${gcommPort};ist.recv_addr=127.0.0.1:${istPort};gcache.size=64M
wsrep_sst_method=rsync
wsrep_sst_receive_address=127.0.0.1:${sstPort}
`;
}

/**
 * @typedef {object} Tools
 * @property {string} mariadbd
 * @property {string} installDb
 * @property {string} provider
 */

/** @returns {Tools} */
function findTools() {
  const mariadbd = findExecutable(['mariadbd', 'mysqld'], ['/usr/sbin', '/usr/libexec']);
  const installDb = findExecutable(['mariadb-install-db', 'mysql_install_db'], []);
  const provider =
    process.env.GALERA_PROVIDER ?? PROVIDER_CANDIDATES.find((path) => existsSync(path));
  const missing = [];
  if (!mariadbd) missing.push('mariadbd (apt-get install mariadb-server)');
  if (!installDb) missing.push('mariadb-install-db (mariadb-server)');
  if (!provider)
    missing.push(
      `the Galera provider library (apt-get install galera-4; looked in ${PROVIDER_CANDIDATES.join(', ')})`,
    );
  if (!findExecutable(['rsync'], [])) missing.push('rsync (used by the rsync SST)');
  if (!findExecutable(['wsrep_sst_rsync'], [])) missing.push('wsrep_sst_rsync (mariadb-server)');
  if (missing.length || !mariadbd || !installDb || !provider)
    throw new ClusterUnavailable(`cannot run a Galera cluster: missing ${missing.join('; ')}`);
  return { mariadbd, installDb, provider };
}

/** @param {string[]} names @param {string[]} extraDirs @returns {string | undefined} */
function findExecutable(names, extraDirs) {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...extraDirs].filter(Boolean);
  for (const name of names)
    for (const dir of dirs) if (existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}

/**
 * Root runs the nodes as `mysql`; anyone else runs them as themselves (then rsync SST does too).
 * @returns {{ uid: number, gid: number } | undefined}
 */
function nodeUser() {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('mysql:'));
  if (!line)
    throw new ClusterUnavailable(
      'running as root but there is no `mysql` user: rsync SST drops privileges and fails for root-owned datadirs',
    );
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** @param {string} path @param {{ uid: number, gid: number }} owner */
function chownTree(path, owner) {
  chownSync(path, owner.uid, owner.gid);
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) chownTree(child, owner);
    else chownSync(child, owner.uid, owner.gid);
  }
}

/**
 * The first node only: the joiners get theirs from it by SST.
 * @param {Tools} tools @param {GaleraNode} node
 * @param {{ uid: number, gid: number } | undefined} runAs @param {number} deadline
 */
async function installDataDirectory(tools, node, runAs, deadline) {
  const child = spawn(
    tools.installDb,
    [
      `--defaults-file=${join(node.dir, 'my.cnf')}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], ...runAs },
  );
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const code = await exited(child, Math.max(1_000, deadline - Date.now()));
  if (code !== 0) {
    killGroup(child);
    throw new ClusterUnavailable(
      `mariadb-install-db for ${node.name} ${code === null ? 'timed out' : `exited ${code}`}:\n${output.slice(-3000)}`,
    );
  }
}

/**
 * @param {Tools} tools @param {GaleraNode} node
 * @param {{ uid: number, gid: number } | undefined} runAs @param {string[]} extraArgs
 */
function startNode(tools, node, runAs, extraArgs) {
  const out = openSync(join(node.dir, 'stdout.log'), 'a');
  // its own process group: stop() kills the node with its SST scripts and rsync daemons
  const child = spawn(
    tools.mariadbd,
    [`--defaults-file=${join(node.dir, 'my.cnf')}`, ...extraArgs],
    {
      stdio: ['ignore', out, out],
      detached: true,
      ...runAs,
    },
  );
  closeSync(out);
  child.unref();
  writeFileSync(join(node.dir, NODE_PID_FILE), String(child.pid));
  return child;
}

/**
 * Polls every node until all are Synced members of a Primary component of `size` nodes.
 * @param {GaleraNode[]} nodes @param {number} size @param {number} deadline
 */
async function waitFor(nodes, size, deadline) {
  /** @type {Record<string, string>} */
  const last = {};
  while (Date.now() < deadline) {
    let ready = 0;
    for (const node of nodes) {
      if (node.process && (node.process.exitCode !== null || node.process.signalCode !== null))
        throw new ClusterUnavailable(
          `${node.name} exited (${node.process.signalCode ?? node.process.exitCode}) while starting:\n${tail(node.errorLog)}`,
        );
      const status = await wsrepStatus(node);
      last[node.name] = status ? JSON.stringify(status) : 'not accepting connections yet';
      if (
        status?.wsrep_ready === 'ON' &&
        status.wsrep_cluster_status === 'Primary' &&
        status.wsrep_local_state_comment === 'Synced' &&
        Number(status.wsrep_cluster_size) === size
      )
        ready++;
    }
    if (ready === nodes.length) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new ClusterUnavailable(
    `the cluster did not reach ${size} synced nodes in time; last status: ${JSON.stringify(last)}\n` +
      nodes.map((node) => `--- ${node.name} ${node.errorLog}\n${tail(node.errorLog)}`).join('\n'),
  );
}

/** @param {GaleraNode} node @returns {Promise<Record<string, string> | undefined>} */
async function wsrepStatus(node) {
  let connection;
  try {
    connection = await createConnection({ uri: node.url, connectTimeout: 2_000 });
    const [rows] = await connection.query(
      `SHOW GLOBAL STATUS WHERE Variable_name IN
         ('wsrep_ready', 'wsrep_cluster_size', 'wsrep_cluster_status', 'wsrep_local_state_comment')`,
    );
    return Object.fromEntries(
      /** @type {{ Variable_name: string, Value: string }[]} */ (rows).map((row) => [
        row.Variable_name,
        row.Value,
      ]),
    );
  } catch {
    return undefined; // still starting, or joining by SST
  } finally {
    await connection?.end().catch(() => {});
  }
}

/** @param {import('node:child_process').ChildProcess | undefined} child */
function killGroup(child) {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL'); // not a group leader (the installer)
  }
}

/**
 * The exit code, or null when it did not exit within timeoutMs.
 * @param {import('node:child_process').ChildProcess | undefined} child @param {number} timeoutMs
 * @returns {Promise<number | null>}
 */
function exited(child, timeoutMs) {
  if (!child) return Promise.resolve(null);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/**
 * A run that was killed (SIGKILL, a lost terminal) could not clean up: its nodes are killed and its
 * directory removed here. Only processes whose command line names such a directory are touched.
 * @param {(line: string) => void} log
 */
export function reapAbandonedClusters(log) {
  for (const entry of readdirSync(tmpdir())) {
    if (!entry.startsWith(DIR_PREFIX)) continue;
    const dir = join(tmpdir(), entry);
    const owner = Number(readOrEmpty(join(dir, OWNER_FILE)));
    if (owner && isAlive(owner)) continue;
    for (const node of safeReaddir(dir)) {
      const pid = Number(readOrEmpty(join(dir, node, NODE_PID_FILE)));
      if (pid && readOrEmpty(`/proc/${pid}/cmdline`).includes(dir)) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
    log(`galera: removed the cluster an earlier run left behind in ${dir}`);
  }
}

/** A zombie (killed, not yet waited for) counts as gone. @param {number} pid */
function isAlive(pid) {
  const status = readOrEmpty(`/proc/${pid}/status`);
  if (status) return !/^State:\s+Z/m.test(status);
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** @param {string} path */
function readOrEmpty(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** @param {string} path @returns {string[]} */
function safeReaddir(path) {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

/** @param {string} path */
function tail(path) {
  return readOrEmpty(path).split('\n').slice(-25).join('\n');
}

/** @param {number} since */
const seconds = (since) => ((Date.now() - since) / 1000).toFixed(1);

// `node scripts/galera-cluster.mjs`: a cluster for trying things by hand, until Ctrl-C.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const cluster = await startGaleraCluster({ log: console.log });
  console.log('galera: Ctrl-C stops the nodes and removes their directory');
  for (const node of cluster.nodes)
    console.log(`  ${node.name}: mariadb -h 127.0.0.1 -P ${node.sqlPort} -u root`);
  const stop = () => void cluster.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  setInterval(() => {}, 60_000);
}
