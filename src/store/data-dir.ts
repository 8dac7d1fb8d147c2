/**
 * The data folder (DATA_DIR) must be usable before anything is built in it. Node's recursive
 * `mkdirSync` never returns for a path under /proc (`DATA_DIR=/proc/x` hung with no output,
 * issue 17), so the folder is created one level at a time, and a file is written and removed to
 * prove it is writable. Any problem is a ConfigError naming the variable: one line, exit 1.
 */
import { accessSync, constants, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '../config.js';
import { STARTUP } from '../messages/startup.js';

const codeOf = (error: unknown): string => (error as { code?: string }).code ?? (error as Error).message;

/** Creates DATA_DIR if needed and checks that files can be written in it; throws ConfigError('DATA_DIR', …) otherwise. */
export function ensureDataDir(dir: string): void {
  const target = resolve(dir);
  // the missing levels, from the first existing ancestor down
  const missing: string[] = [];
  let at = target;
  for (;;) {
    let isDir: boolean;
    try {
      isDir = statSync(at).isDirectory();
    } catch (error) {
      if (codeOf(error) !== 'ENOENT') throw new ConfigError('DATA_DIR', STARTUP.dataDirUnusable(target, codeOf(error)));
      missing.unshift(at);
      const up = dirname(at);
      if (up === at) throw new ConfigError('DATA_DIR', STARTUP.dataDirUnusable(target, 'ENOENT'));
      at = up;
      continue;
    }
    if (!isDir) throw new ConfigError('DATA_DIR', STARTUP.dataDirNotFolder(target, at));
    break;
  }
  try {
    accessSync(at, constants.W_OK);
    for (const level of missing) mkdirSync(level);
    const probe = join(target, `.write-check-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (error) {
    throw new ConfigError('DATA_DIR', STARTUP.dataDirUnusable(target, codeOf(error)));
  }
}
