// @ts-check
// The JSON and Markdown result files of a run, and what is printed at the end.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT, RESULTS } from './paths.mjs';
import { newestProfile, summarizeProfile } from './profile.mjs';
import { markdown } from './report.mjs';
import { PROFILE_DIR } from './setup.mjs';
import { evaluateTargets } from './targets.mjs';

/**
 * @param {object} p
 * @param {Date} p.started
 * @param {Awaited<ReturnType<typeof import('./machine.mjs').describeMachine>>} p.machine
 * @param {import('./options.mjs').BenchOptions} p.options
 * @param {import('./databases.mjs').BenchDatabases} p.databases
 * @param {import('./setup.mjs').RunningSetup} p.setup
 * @param {import('./scenarios.mjs').ReportedRow[]} p.runs
 * @param {import('./scenarios.mjs').ReportedRow[]} p.otherRounds
 * @param {{ serviceVmHwmMb: number, warnings: string[] }} p.after
 * @param {string} p.stamp
 */
export function writeReport({
  started,
  machine,
  options,
  databases,
  setup,
  runs,
  otherRounds,
  after,
  stamp,
}) {
  const a = runs.find((r) => r.scenario === 'a' && r.server === 'service');
  const ref = runs.find((r) => r.scenario === 'a' && r.server === 'reference');
  const servicePeak = Math.max(
    ...[...runs, ...otherRounds].filter((r) => r.server === 'service').map((r) => r.peakRssMb),
  );
  const profileFile = options.cpuProf ? newestProfile(PROFILE_DIR) : undefined;
  const strip = (
    /** @type {import('./scenarios.mjs').ReportedRow} */ { okRefs: _okRefs, ...row },
  ) => row;
  const report = {
    date: started.toISOString(),
    commit: gitCommit(),
    database: databases.label,
    rows: options.rows,
    seeded: setup.seeded,
    machine,
    settings: {
      connections: options.connections,
      warmupS: options.warmupS,
      durationS: options.durationS,
      roundsOfA: options.rounds,
      cpuProf: options.cpuProf,
      serviceNodeFlags: nodeFlagsOf(setup.service.child),
      serviceEnvShown: shownEnv({ NODE_OPTIONS: process.env.NODE_OPTIONS ?? '', ...setup.env }),
    },
    servicePeakRssMb: servicePeak,
    serviceVmHwmMb: after.serviceVmHwmMb,
    ratio: a && ref ? ratioOf(a, ref) : null,
    targets: evaluateTargets(runs, databases.kind, servicePeak),
    runs: runs.map(strip),
    unreportedRounds: otherRounds.map(strip),
    profile: profileFile
      ? { file: relative(ROOT, profileFile), ...summarizeProfile(profileFile) }
      : null,
    serviceWarnings: after.warnings.slice(0, 50),
  };
  const text = markdown(report);
  writeFileSync(join(RESULTS, `${stamp}.json`), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(RESULTS, `${stamp}.md`), `${text}\n`);
  console.log(`\n${text}\n`);
  if (after.warnings.length)
    console.log(
      `bench: the service logged ${after.warnings.length} warning/error lines (see ${relative(ROOT, setup.logFile)})`,
    );
  console.log(`bench: wrote ${relative(ROOT, join(RESULTS, stamp))}.json and .md`);
}

/**
 * Service vs reference in scenario (a). The CPU time per request is the figure least moved by
 * other work on the machine: it does not count the time a process waits for a core.
 * @param {import('./scenarios.mjs').ReportedRow} a
 * @param {import('./scenarios.mjs').ReportedRow} ref
 */
function ratioOf(a, ref) {
  return {
    throughput: a.reqPerSec / ref.reqPerSec,
    p99: a.latencyMs.p99 / ref.latencyMs.p99,
    cpuPerRequest: a.serverCpuMsPerRequest / ref.serverCpuMsPerRequest,
  };
}

/** The settings worth showing: the limits, the log level, the reconciliation interval. */
function shownEnv(/** @type {Record<string, string>} */ env) {
  return Object.entries(env)
    .filter(
      ([k, v]) =>
        v !== '' && /^(RATE_LIMIT|RECONCILE|LOG_LEVEL|SQLITE|DB_POOL|NODE_OPTIONS)/.test(k),
    )
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

/**
 * The service's command line between `node` and its script, as spawned (the shipped flags from
 * package.json, plus --cpu-prof when asked), with paths relative to the repository.
 * @param {import('node:child_process').ChildProcess} child
 */
function nodeFlagsOf(child) {
  return child.spawnargs
    .slice(1, -1)
    .map((arg) => arg.replaceAll(`${ROOT}/`, ''))
    .join(' ');
}

function gitCommit() {
  try {
    const git = (/** @type {string[]} */ args) =>
      execFileSync('git', args, { cwd: ROOT }).toString().trim();
    const dirty = git([
      'status',
      '--porcelain',
      '--',
      'src',
      'app/src',
      'package.json',
      'scripts',
      'bench/lib',
      'bench/reference',
      'bench/*.mjs',
    ]);
    return `${git(['rev-parse', '--short', 'HEAD'])}${dirty ? '+uncommitted changes' : ''}`;
  } catch {
    return 'unknown';
  }
}
