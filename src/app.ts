/**
 * Builds the running application from a configuration: database, index, assistant, services and
 * the engine with the bot's routing table. Every entry point (bin/, the tests, the benchmarks)
 * goes through here.
 */
import { join } from 'node:path';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { Assistant } from './answering/assistant.js';
import { createChatModel, LlmAnswerer } from './answering/llm.js';
import { LlmGate } from './answering/llm-gate.js';
import { hostOf } from './remote.js';
import { probeEndpoint } from './answering/llm-probe.js';
import { routes } from './bot.js';
import { Adapters, type Core } from './engine/adapter.js';
import { Engine } from './engine/engine.js';
import { InFlight } from './engine/inflight.js';
import { Turns } from './engine/turns.js';
import { openIndex, type Progress } from './retrieval/index-store.js';
import { createServices, type Services } from './services.js';
import { databaseHealth, openDatabase, type Db } from './store/db.js';
import { Connections, overallStatus } from './health.js';
import { pruneOld } from './store/retention.js';
import { S } from './messages/startup.js';

export interface App {
  config: Config;
  logger: Logger;
  db: Db;
  assistant: Assistant;
  services: Services;
  engine: Engine<Services>;
  /** What the adapters are given: the engine, the relay between platforms, bookkeeping. */
  core: Core;
  /** The adapters running in this process (Slack and Discord can run together): effects are relayed through them. */
  adapters: Adapters;
  /** Work the adapters are doing (receiving, handling, sending): a shutdown waits for it. */
  inFlight: InFlight;
  close(): void;
}

export function databasePath(config: Pick<Config, 'dataDir'>): string {
  return join(config.dataDir, 'bot.sqlite');
}

/** Breaker tuning for the language model (tests use a short cooldown). */
export interface AssistantOptions {
  breaker?: { failuresToOpen?: number; cooldownMs?: number };
}

/**
 * The index (built if missing or stale) and the assistant, with the language model when one is
 * configured: what answering needs, and all that `ask` and `eval` need. A configured endpoint is
 * checked once at start-up: when it is down the last good index is kept (no rebuild) and the answers
 * start offline, with the circuit breaker open so that a later question tries again.
 */
export async function createAssistant(config: Config, logger?: Logger, progress?: Progress, turns?: Turns, options: AssistantOptions = {}): Promise<Assistant> {
  const probe = config.openai ? await probeEndpoint(config.openai, logger) : undefined;
  // the builder reports its own steps when the index has to be (re)built
  progress?.(S.loadingIndex);
  const index = await openIndex(config, logger, progress, { remoteDown: probe ? !probe.reachable : false });
  index.search.onDenseError = (error) => logger?.warn({ err: error }, '埋め込み検索に失敗したため、語彙検索だけで回答します');
  const llm = config.openai ? new LlmAnswerer(createChatModel(config.openai), config.openai.timeoutMs, logger) : undefined;
  const gate = config.openai
    ? new LlmGate({ host: hostOf(config.openai.baseUrl), model: config.openai.model, timeoutMs: config.openai.timeoutMs, reachableAtStart: probe?.reachable ?? true, ...options.breaker, ...(logger ? { logger } : {}) })
    : undefined;
  return new Assistant(index, { ...(llm ? { llm } : {}), ...(gate ? { gate } : {}), ...(logger ? { logger } : {}), ...(turns ? { outside: (io) => turns.outside(io) } : {}) });
}

export async function createApp(config: Config, logger: Logger, options: { progress?: Progress; clock?: () => number } = {}): Promise<App> {
  const turns = new Turns();
  const assistant = await createAssistant(config, logger, options.progress, turns);
  options.progress?.(S.openingDatabase);
  const db = openDatabase(databasePath(config));
  const services = createServices(config, assistant, db, logger);
  // retention: at start, then daily (the timer never keeps the process alive)
  const prune = (): void => {
    try {
      const pruned = pruneOld(db, config.retentionDays);
      if (Object.values(pruned).some((n) => n > 0)) logger.info({ ...pruned, retentionDays: config.retentionDays }, '保存期間を過ぎた記録を削除しました');
    } catch (error) {
      logger.error({ err: error }, '保存期間を過ぎた記録の削除に失敗しました');
    }
  };
  prune();
  const pruneTimer = setInterval(prune, 24 * 60 * 60 * 1000);
  pruneTimer.unref();
  const limits = { rateLimitPerMinute: config.rateLimitPerMinute, maxMessageChars: config.maxMessageChars, maxUploadBytes: config.maxUploadBytes, flowIdleMinutes: config.flowIdleMinutes };
  const engine = new Engine<Services>({ routes, services, db, logger, limits, turns, ...(options.clock ? { clock: options.clock } : {}) });
  const adapters = new Adapters(logger);
  const inFlight = new InFlight();
  const connections = new Connections();
  const core: Core = {
    handle: (event) => engine.handle(event),
    claimDelivery: (platform, id) => engine.claimDelivery(platform, id),
    releaseDelivery: (platform, id) => engine.releaseDelivery(platform, id),
    isSlow: (command, args) => engine.isSlow(command, args),
    fileRequest: (text) => engine.fileRequest(text),
    localFileRequest: (command, args) => engine.localFileRequest(command, args),
    commandFilePurpose: (command) => engine.commandFilePurpose(command),
    mayUpload: (actor, purpose) => engine.mayUpload(actor, purpose),
    complete: (field, typed) => engine.complete(field, typed),
    welcome: (actor) => engine.welcome(actor),
    relay: (effect) => adapters.relay(effect),
    track: (work) => inFlight.run(work),
    health: () => {
      const snapshot = connections.snapshot();
      const database = databaseHealth(db);
      const llm = assistant.llmStatus();
      return { status: overallStatus(snapshot, database, llm), connections: snapshot, database, llm, passages: assistant.index.manifest.passages, uptimeSeconds: Math.round(process.uptime()) };
    },
    connection: (name, state, detail) => connections.set(name, state, detail),
    logger,
    limits: { maxUploadBytes: config.maxUploadBytes },
  };
  return {
    config,
    logger,
    db,
    assistant,
    services,
    engine,
    core,
    adapters,
    inFlight,
    close() {
      clearInterval(pruneTimer);
      if (db.open) db.close();
    },
  };
}
