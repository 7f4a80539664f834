// @ts-check
// The top self-time functions of a V8 .cpuprofile (node --cpu-prof), grouped by function and
// file, for the report.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './paths.mjs';

/**
 * @typedef {object} ProfileEntry
 * @property {string} fn
 * @property {string} where file:line, relative to the repository (or a package name)
 * @property {number} selfMs
 * @property {number} percent of the samples
 */

/** The newest .cpuprofile in `dir`, or undefined. */
export function newestProfile(/** @type {string} */ dir) {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f));
  return files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

/**
 * @param {string} file
 * @param {number} [top]
 * @returns {{ totalMs: number, entries: ProfileEntry[], byPackage: ProfileEntry[] }}
 */
export function summarizeProfile(file, top = 25) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  /** @type {Map<number, any>} */
  const nodes = new Map(profile.nodes.map((/** @type {any} */ n) => [n.id, n]));
  /** @type {Map<number, number>} */
  const hits = new Map();
  const deltas = profile.timeDeltas ?? [];
  profile.samples.forEach((/** @type {number} */ id, /** @type {number} */ i) =>
    hits.set(id, (hits.get(id) ?? 0) + (deltas[i] ?? 0) / 1000),
  );
  /** @type {Map<string, ProfileEntry>} */
  const byFunction = new Map();
  /** @type {Map<string, ProfileEntry>} */
  const byPackage = new Map();
  let totalMs = 0;
  for (const [id, ms] of hits) {
    const frame = nodes.get(id).callFrame;
    if (frame.functionName === '(idle)') continue;
    totalMs += ms;
    const where = location(frame);
    add(
      byFunction,
      `${frame.functionName || '(anonymous)'} ${where}`,
      frame.functionName,
      where,
      ms,
    );
    const pkg = packageOf(frame.url);
    add(byPackage, pkg, pkg, '', ms);
  }
  const ranked = (/** @type {Map<string, ProfileEntry>} */ map) =>
    [...map.values()]
      .map((e) => ({ ...e, percent: (e.selfMs / totalMs) * 100 }))
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top);
  return { totalMs, entries: ranked(byFunction), byPackage: ranked(byPackage) };
}

/**
 * @param {Map<string, ProfileEntry>} map
 * @param {string} key @param {string} fn @param {string} where @param {number} ms
 */
function add(map, key, fn, where, ms) {
  const entry = map.get(key) ?? { fn: fn || '(anonymous)', where, selfMs: 0, percent: 0 };
  entry.selfMs += ms;
  map.set(key, entry);
}

/** @param {{ url: string, lineNumber: number }} frame */
function location(frame) {
  if (!frame.url) return '(native)';
  const path = frame.url.replace(/^file:\/\//, '');
  const short = path.startsWith(ROOT) ? relative(ROOT, path) : path;
  return `${short.replace(/^.*node_modules\//, '')}:${frame.lineNumber + 1}`;
}

/** node_modules/<package>, our dist/ and app/dist/, node: internals, or the VM's own. */
function packageOf(/** @type {string} */ url) {
  if (!url) return '(native / GC / idle)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  if (url.startsWith('node:')) return 'node: internals';
  const path = url.replace(/^file:\/\//, '');
  return path.startsWith(ROOT) ? relative(ROOT, path).split('/').slice(0, 2).join('/') : url;
}
