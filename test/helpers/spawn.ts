/**
 * Runs a TypeScript entry point as one Node process (`node --import tsx`), not through the tsx
 * CLI: the CLI is a wrapper that starts a second node, and SIGKILL to the wrapper would leave that
 * grandchild running (and writing) after the test. Every child started here is killed when the
 * test file ends, whatever happened in the test.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
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

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs an entry point to its end and collects its output. Asynchronous on purpose: a synchronous
 * spawn blocks the test worker's event loop for the whole run, so under load (another suite, or
 * another checkout's tests, on the same two cores) five of them in a row outlasted any timeout.
 */
export function runTs(entry: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawnTs(entry, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
