/**
 * Wires the pieces that every entry point needs: the index (built if missing or stale) and the
 * assistant, with the language model when one is configured.
 */
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { Assistant } from './answer/assistant.js';
import { createChatModel, LlmAnswerer } from './answer/llm.js';
import type { Turns } from './engine/turns.js';
import { openIndex, type Progress } from './retrieval/index-store.js';

export async function createAssistant(config: Config, logger?: Logger, progress?: Progress, turns?: Turns): Promise<Assistant> {
  const index = await openIndex(config, logger, progress);
  index.search.onDenseError = (error) => logger?.warn({ err: error }, '埋め込み検索に失敗したため、語彙検索だけで回答します');
  const llm = config.openai ? new LlmAnswerer(createChatModel(config.openai), config.openai.timeoutMs, logger) : undefined;
  return new Assistant(index, { ...(llm ? { llm } : {}), ...(logger ? { logger } : {}), ...(turns ? { outside: (io) => turns.outside(io) } : {}) });
}
