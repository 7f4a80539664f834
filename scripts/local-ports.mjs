// @ts-check
// Loopback ports: free ones for the processes a tool starts, and which of its processes owns
// the client end of a local TCP connection (to attribute database connections to instances).
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * `count` distinct ports on 127.0.0.1 that were free a moment ago (all held open together while
 * they are picked, so no two are the same).
 * @param {number} count
 * @returns {Promise<number[]>}
 */
export async function freeLoopbackPorts(count) {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        /** @type {Promise<import('node:net').Server>} */ (
          new Promise((resolve, reject) => {
            const server = createServer();
            server.once('error', reject);
            server.listen(0, '127.0.0.1', () => resolve(server));
          })
        ),
    ),
  );
  const ports = servers.map(
    (server) => /** @type {import('node:net').AddressInfo} */ (server.address()).port,
  );
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/**
 * Which of the given processes owns each local TCP port (/proc: socket inode → pid → name).
 * @param {{ name: string, pid: number }[]} processes
 * @returns {Map<number, string>} local port → process name
 */
export function localPortOwners(processes) {
  /** @type {Map<string, string>} */
  const inodeToName = new Map();
  for (const { name, pid } of processes) {
    for (const inode of socketInodes(pid)) inodeToName.set(inode, name);
  }
  /** @type {Map<number, string>} */
  const owners = new Map();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const { localPort, inode } of tcpTable(file)) {
      const name = inodeToName.get(inode);
      if (name) owners.set(localPort, name);
    }
  }
  return owners;
}

/** @param {number} pid @returns {string[]} */
function socketInodes(pid) {
  /** @type {string[]} */
  const inodes = [];
  let fds = [];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return inodes; // the process is gone
  }
  for (const fd of fds) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.push(match[1]);
    } catch {
      // closed meanwhile
    }
  }
  return inodes;
}

/** @param {string} file @returns {{ localPort: number, inode: string }[]} */
function tcpTable(file) {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length >= 10)
    .map((fields) => ({ localPort: parseInt(fields[1].split(':')[1], 16), inode: fields[9] }));
}
