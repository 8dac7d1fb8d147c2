/**
 * Builds the running application from a configuration: database, index, assistant, services and
 * the engine with the bot's routing table. Every entry point (bin/, the tests, the benchmarks)
 * goes through here.
 */
import { join } from 'node:path';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { Assistant } from './answer/assistant.js';
import { createChatModel, LlmAnswerer } from './answer/llm.js';
import { routes } from './bot.js';
import { Engine } from './engine/engine.js';
import { Turns } from './engine/turns.js';
import type { Effect, Platform } from './engine/types.js';
import { InFlight } from './inflight.js';
import { openIndex, type Progress } from './retrieval/index-store.js';
import { createServices, type Services } from './services.js';
import { openDatabase, type Db } from './store/db.js';

export interface App {
  config: Config;
  logger: Logger;
  db: Db;
  assistant: Assistant;
  services: Services;
  engine: Engine<Services>;
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

/**
 * The index (built if missing or stale) and the assistant, with the language model when one is
 * configured: what answering needs, and all that `ask` and `eval` need.
 */
export async function createAssistant(config: Config, logger?: Logger, progress?: Progress, turns?: Turns): Promise<Assistant> {
  const index = await openIndex(config, logger, progress);
  index.search.onDenseError = (error) => logger?.warn({ err: error }, '埋め込み検索に失敗したため、語彙検索だけで回答します');
  const llm = config.openai ? new LlmAnswerer(createChatModel(config.openai), config.openai.timeoutMs, logger) : undefined;
  return new Assistant(index, { ...(llm ? { llm } : {}), ...(logger ? { logger } : {}), ...(turns ? { turns } : {}) });
}

export async function createApp(config: Config, logger: Logger, options: { progress?: Progress; clock?: () => number } = {}): Promise<App> {
  const turns = new Turns();
  const assistant = await createAssistant(config, logger, options.progress, turns);
  const db = openDatabase(databasePath(config));
  const services = createServices(config, assistant, db, logger);
  const limits = { rateLimitPerMinute: config.rateLimitPerMinute, maxMessageChars: config.maxMessageChars, maxUploadBytes: config.maxUploadBytes, flowIdleMinutes: config.flowIdleMinutes };
  const engine = new Engine<Services>({ routes, services, db, logger, limits, turns, ...(options.clock ? { clock: options.clock } : {}) });
  const deliveries = new Map<Platform, (effect: Effect) => Promise<void>>();
  return {
    config,
    logger,
    db,
    assistant,
    services,
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
