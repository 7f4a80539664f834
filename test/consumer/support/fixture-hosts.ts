import { cpSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand } from './run-command.js';

export type ModuleFormat = 'esm' | 'cjs';

/** The fixture hosts' folder: its own package.json, the package installed into its node_modules. */
export const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '..', 'hosts');

/** Each host's entry point once built. */
export const HOST_ENTRY: Record<ModuleFormat, string> = {
  esm: join(FIXTURE, 'dist', 'src', 'main.js'),
  cjs: join(FIXTURE, 'dist', 'cjs', 'src', 'main.js'),
};

/**
 * Compiles the hosts with the repository's TypeScript against the installed package's .d.ts, in
 * one program: the ESM host from src/, and the CommonJS host from a copy of src/ in cjs/, whose
 * package.json makes the same code CommonJS for TypeScript and, copied beside the output, for Node.
 */
export async function buildHosts(tsc: string): Promise<void> {
  for (const built of ['dist', 'cjs/src']) {
    rmSync(join(FIXTURE, built), { recursive: true, force: true });
  }
  cpSync(join(FIXTURE, 'src'), join(FIXTURE, 'cjs', 'src'), { recursive: true });
  await runCommand(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: FIXTURE });
  cpSync(join(FIXTURE, 'cjs', 'package.json'), join(FIXTURE, 'dist', 'cjs', 'package.json'));
}
