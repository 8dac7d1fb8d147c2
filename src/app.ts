/**
 * Builds the running application from a configuration: database, index, assistant and engine.
 * Every entry point (the bot, the tests, the benchmarks) goes through here.
 */
import { join } from 'node:path';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { Engine } from './engine/engine.js';
import { createAssistant } from './runtime.js';
import { Turns } from './engine/turns.js';
import { openDatabase, type Db } from './store/db.js';
import type { Progress } from './retrieval/index-store.js';
import type { Assistant } from './answer/assistant.js';
import type { Effect, Platform } from './engine/types.js';
import { InFlight } from './inflight.js';

export interface App {
  config: Config;
  logger: Logger;
  db: Db;
  assistant: Assistant;
  engine: Engine;
  /** Adapters register how effects for their platform are delivered (both can run in one process). */
  registerDelivery(platform: Platform, deliver: (effect: Effect) => Promise<void>): void;
  /** Delivers an effect through the adapter of its target platform (logged if none runs). */
  deliver(effect: Effect): Promise<void>;
  /** Work the adapters are doing (receiving, handling, sending): a shutdown waits for it. */
  inFlight: InFlight;
  close(): void;
}

export function databasePath(config: Pick<Config, 'dataDir'>): string {
  return join(config.dataDir, 'bot.sqlite');
}

export async function createApp(config: Config, logger: Logger, options: { progress?: Progress; clock?: () => number } = {}): Promise<App> {
  const turns = new Turns();
  const assistant = await createAssistant(config, logger, options.progress, turns);
  const db = openDatabase(databasePath(config));
  const engine = new Engine({ config, assistant, db, logger, turns, ...(options.clock ? { clock: options.clock } : {}) });
  const deliveries = new Map<Platform, (effect: Effect) => Promise<void>>();
  return {
    config,
    logger,
    db,
    assistant,
    engine,
    inFlight: new InFlight(),
    registerDelivery(platform, deliver) {
      deliveries.set(platform, deliver);
    },
    async deliver(effect) {
      const d = deliveries.get(effect.target.platform);
      if (d) await d(effect);
      else logger.warn({ platform: effect.target.platform, reason: effect.reason }, 'この通知の送り先のプラットフォームは接続されていません');
    },
    close() {
      if (db.open) db.close();
    },
  };
}
