/** Test applications: a real engine over a temporary DATA_DIR with the shared prebuilt index. */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';

export interface TestApp extends App {
  dir: string;
  /** Shifts the engine's clock (flow expiry tests). */
  advance(ms: number): void;
  logs: string[];
  dispose(): void;
}

export function tempDir(prefix = 'pf-test-'): string {
  // under the run's root (see global-setup) so nothing is left behind in the system temp folder
  return mkdtempSync(join(process.env.PF_TEST_TMP ?? tmpdir(), prefix));
}

/** A data folder with the prebuilt index copied in. */
export function dataDirWithIndex(): string {
  const dir = tempDir();
  const index = process.env.PF_TEST_INDEX_DIR;
  if (index) cpSync(index, join(dir, 'index'), { recursive: true });
  return dir;
}

export async function testApp(env: Record<string, string> = {}, options: { dir?: string; logLevel?: string } = {}): Promise<TestApp> {
  const dir = options.dir ?? dataDirWithIndex();
  const config = loadConfig({ DATA_DIR: dir, ...env }, dir);
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const logger = createLogger(options.logLevel ?? 'info', sink);
  let offset = 0;
  const app = await createApp(config, logger, { clock: () => Date.now() + offset });
  return {
    ...app,
    dir,
    logs,
    advance(ms: number) {
      offset += ms;
    },
    dispose() {
      app.close();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
