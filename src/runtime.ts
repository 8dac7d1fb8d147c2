/**
 * Wires the pieces that every entry point needs: the index (built if missing or stale) and the
 * assistant, with the language model when one is configured. A configured endpoint is checked
 * once at start-up: when it is down the last good index is kept (no rebuild) and the answers start
 * offline, with the circuit breaker open so that a later question tries again.
 */
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { Assistant } from './answer/assistant.js';
import { createChatModel, LlmAnswerer } from './answer/llm.js';
import { hostOf, LlmGate } from './answer/llm-gate.js';
import { probeEndpoint } from './answer/llm-probe.js';
import type { Turns } from './engine/turns.js';
import { openIndex, type Progress } from './retrieval/index-store.js';

export interface AssistantOptions {
  /** Breaker tuning (tests use a short cooldown). */
  breaker?: { failuresToOpen?: number; cooldownMs?: number };
}

export async function createAssistant(config: Config, logger?: Logger, progress?: Progress, turns?: Turns, options: AssistantOptions = {}): Promise<Assistant> {
  const probe = config.openai ? await probeEndpoint(config.openai, logger) : undefined;
  const index = await openIndex(config, logger, progress, { remoteDown: probe ? !probe.reachable : false });
  index.search.onDenseError = (error) => logger?.warn({ err: error }, '埋め込み検索に失敗したため、語彙検索だけで回答します');
  const llm = config.openai ? new LlmAnswerer(createChatModel(config.openai), config.openai.timeoutMs, logger) : undefined;
  const gate = config.openai
    ? new LlmGate({ host: hostOf(config.openai.baseUrl), model: config.openai.model, timeoutMs: config.openai.timeoutMs, reachableAtStart: probe?.reachable ?? true, ...options.breaker, ...(logger ? { logger } : {}) })
    : undefined;
  return new Assistant(index, { ...(llm ? { llm } : {}), ...(gate ? { gate } : {}), ...(logger ? { logger } : {}), ...(turns ? { outside: (io) => turns.outside(io) } : {}) });
}
