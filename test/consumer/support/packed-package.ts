import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { runCommand } from './run-command.js';

/**
 * `npm pack` as on a fresh clone of the working tree (its tracked and new files, no dist/, so
 * `prepack` must build it), in a copy: building in place would rewrite the repository's dist/
 * while other suites run the service from it. The copy's node_modules is the repository's (a
 * clone runs `npm ci` first).
 */
export async function packFreshCopy(root: string): Promise<{ tarball: string; cleanUp(): void }> {
  const work = mkdtempSync(join(tmpdir(), 'payments-pack-'));
  const copy = join(work, 'project');
  for (const file of await cloneFiles(root)) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    copyFileSync(join(root, file), join(copy, file));
  }
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
  const out = join(work, 'out');
  mkdirSync(out);
  const report = await runCommand('npm', ['pack', '--json', '--pack-destination', out], {
    cwd: copy,
  });
  // npm prints the build's output first, then the JSON report.
  const [{ filename }] = JSON.parse(report.slice(report.indexOf('\n[') + 1)) as {
    filename: string;
  }[];
  return {
    tarball: join(out, filename),
    cleanUp: () => rmSync(work, { recursive: true, force: true }),
  };
}

async function cloneFiles(root: string): Promise<string[]> {
  const listing = await runCommand(
    'git',
    ['ls-files', '--cached', '--others', '--exclude-standard'],
    { cwd: root },
  );
  // A tracked file deleted in the working tree is not in a clone of it.
  return listing.split('\n').filter((file) => file !== '' && existsSync(join(root, file)));
}

/** The tarball's file paths, without npm's `package/` folder. */
export async function tarballFiles(tarball: string): Promise<string[]> {
  const listing = await runCommand('tar', ['-tzf', tarball], { cwd: tmpdir() });
  return listing
    .split('\n')
    .filter((line) => line !== '' && !line.endsWith('/'))
    .map((line) => relative('package', line));
}

/**
 * Installs the tarball into the fixture as npm lays it out: `<fixture>/node_modules/<name>`. Its
 * own dependencies (stripe, qs) and its peers resolve from the repository's node_modules by
 * Node's upward lookup, as peers do in a host. (`npm install --offline <tarball>` cannot: npm 11
 * asks for the full packuments of stripe and qs, and `npm ci` caches only the abbreviated ones.)
 */
export async function installTarball(
  tarball: string,
  fixture: string,
  name: string,
): Promise<string> {
  const target = join(fixture, 'node_modules', name);
  rmSync(join(fixture, 'node_modules'), { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  await runCommand('tar', ['-xzf', tarball, '-C', target, '--strip-components=1'], {
    cwd: fixture,
  });
  return target;
}
