/**
 * Runs a TypeScript entry point as one Node process (`node --import tsx`), not through the tsx
 * CLI: the CLI is a wrapper that starts a second node, and SIGKILL to the wrapper would leave that
 * grandchild running (and writing) after the test. Every child started here is killed when the
 * test file ends, whatever happened in the test.
 */
import { spawn, spawnSync, type ChildProcess, type SpawnOptions, type SpawnSyncOptionsWithStringEncoding } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';

const TSX_LOADER = pathToFileURL(join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const started = new Set<ChildProcess>();

afterAll(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  started.clear();
});

function argv(entry: string, args: string[]): string[] {
  return ['--import', TSX_LOADER, join(PROJECT_ROOT, entry), ...args];
}

export function spawnTs(entry: string, args: string[], options: SpawnOptions): ChildProcess {
  const child = spawn(process.execPath, argv(entry, args), options);
  started.add(child);
  child.on('exit', () => started.delete(child));
  return child;
}

export function spawnTsSync(entry: string, args: string[], options: SpawnSyncOptionsWithStringEncoding) {
  return spawnSync(process.execPath, argv(entry, args), { killSignal: 'SIGKILL', ...options });
}
