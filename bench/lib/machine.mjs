// @ts-check
/* global clearInterval, setInterval, setTimeout */
// What the machine and the processes under test use, read from /proc: CPU time, RSS, how busy
// everything else is. Linux only; NaN elsewhere.
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

export const sleep = (/** @type {number} */ ms) =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** @param {number} pid @returns {{ rssKb: number, hwmKb: number }} */
export function memoryOf(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (/** @type {string} */ key) =>
      Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
    return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
  } catch {
    return { rssKb: NaN, hwmKb: NaN };
  }
}

/** CPU time (user + system) a process has used so far, in ms (clock ticks of 10 ms). */
export function cpuMsOf(/** @type {number} */ pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/** Busy and total CPU time of the whole machine so far, in ms (all cores). */
export function machineTicks() {
  try {
    const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    const n = ticks.map(Number);
    const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busyMs: (total - n[3] - n[4]) * 10, totalMs: total * 10 };
  } catch {
    return { busyMs: NaN, totalMs: NaN };
  }
}

/** The MariaDB/MySQL server processes here: their CPU is part of the system under test. */
export function databasePids() {
  /** @type {number[]} */
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      if (comm === 'mariadbd' || comm === 'mysqld') pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** Samples a process's RSS every 100 ms; the returned function stops and gives the peak. */
export function sampleRss(/** @type {number} */ pid) {
  const startKb = memoryOf(pid).rssKb || 0;
  let peakKb = startKb;
  const timer = setInterval(() => {
    const { rssKb } = memoryOf(pid);
    if (rssKb > peakKb) peakKb = rssKb;
  }, 100);
  return () => {
    clearInterval(timer);
    return { startRssKb: startKb, peakRssKb: peakKb, hwmKb: memoryOf(pid).hwmKb };
  };
}

/** How busy the machine is over `ms` (percent of all cores), while the bench itself idles. */
export async function busyPercentOver(/** @type {number} */ ms) {
  const before = machineTicks();
  await sleep(ms);
  const after = machineTicks();
  return ((after.busyMs - before.busyMs) / (after.totalMs - before.totalMs)) * 100;
}

/**
 * Waits (at most `waitS`) until the rest of the machine uses under 15 % of it.
 * @returns {Promise<number>} the busy percent of the last second
 */
export async function waitForQuiet(/** @type {number} */ waitS) {
  const deadline = Date.now() + waitS * 1000;
  let busy = NaN;
  do {
    busy = await busyPercentOver(1000);
    if (busy < 15) return busy;
  } while (Date.now() < deadline);
  return busy;
}

/** The machine and how quiet it was before the run: for the report. */
export async function describeMachine() {
  const idle = 100 - (await busyPercentOver(3000));
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model?.trim(),
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadAverageAtStart: loadavg().map((n) => Number(n.toFixed(2))),
    cpuIdlePercentAtStart: Number(idle.toFixed(1)),
  };
}
