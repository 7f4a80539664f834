// @ts-check
/* global setInterval */
// A preload for the service, to see what its memory is made of under the bench:
//   npm run bench -- --no-reference --env NODE_OPTIONS=--import=./bench/heap-log.mjs \
//     --env HEAP_LOG=bench/results/heap.txt [--env HEAP_LOG_GC=1]
// Every 2 s it appends RSS (anonymous and file-mapped), V8's heap and its old space to HEAP_LOG.
// HEAP_LOG_GC=1 first runs a full collection, so that the heap figures are what is live; it turns
// on --expose-gc at run time, which makes that run's speed incomparable with others.
import { appendFileSync, readFileSync } from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';

const file = process.env.HEAP_LOG ?? 'heap-log.txt';
const collect = process.env.HEAP_LOG_GC === '1' ? gcFunction() : undefined;
const started = Date.now();
const mb = (/** @type {number} */ bytes) => Math.round(bytes / 1048576);

function gcFunction() {
  v8.setFlagsFromString('--expose-gc');
  return /** @type {() => void} */ (vm.runInNewContext('gc'));
}

/** @param {string} key */
function statusMb(key) {
  const status = readFileSync('/proc/self/status', 'utf8');
  return Math.round(Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) / 1024);
}

setInterval(() => {
  collect?.();
  const memory = process.memoryUsage();
  const oldSpace = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'old_space');
  const line = [
    `${Math.round((Date.now() - started) / 1000)} s`,
    `rss ${mb(memory.rss)} (anon ${statusMb('RssAnon')}, file ${statusMb('RssFile')})`,
    `heap total ${mb(memory.heapTotal)} used ${mb(memory.heapUsed)}`,
    `old space used ${mb(oldSpace?.space_used_size ?? NaN)}`,
    `external ${mb(memory.external)}`,
  ].join(' · ');
  appendFileSync(file, `${line}\n`);
}, 2_000).unref();
