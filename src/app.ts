/**
 * Builds the running application from a configuration: database, index, assistant and engine.
 * Every entry point (the bot, the tests, the benchmarks) goes through here.
 */
import { join } from 'node:path';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { Engine } from './engine/engine.js';
import { createAssistant } from './runtime.js';
import { openDatabase, type Db } from './store/db.js';
import type { Progress } from './retrieval/index-store.js';
import type { Assistant } from './answer/assistant.js';

export interface App {
  config: Config;
  logger: Logger;
  db: Db;
  assistant: Assistant;
  engine: Engine;
  close(): void;
}

export function databasePath(config: Pick<Config, 'dataDir'>): string {
  return join(config.dataDir, 'bot.sqlite');
}

export async function createApp(config: Config, logger: Logger, options: { progress?: Progress; clock?: () => number } = {}): Promise<App> {
  const assistant = await createAssistant(config, logger, options.progress);
  const db = openDatabase(databasePath(config));
  const engine = new Engine({ config, assistant, db, logger, ...(options.clock ? { clock: options.clock } : {}) });
  return {
    config,
    logger,
    db,
    assistant,
    engine,
    close() {
      if (db.open) db.close();
    },
  };
}
