/**
 * Chooses the embedder: the offline LSA model by default, OpenAIEmbeddings (through
 * @langchain/openai, any OpenAI-compatible server via the base URL) when configured.
 */
import type { Embeddings } from '@langchain/core/embeddings';
import { OpenAIEmbeddings } from '@langchain/openai';
import type { Config } from '../../config.js';
import { LsaEmbeddings } from './lsa.js';

/** An embedder with a stable identity: the vector index is rebuilt when it changes. */
export interface NamedEmbeddings {
  embeddings: Embeddings;
  identity: string;
}

/** Building the index embeds every passage: it may take longer than a question, and retry once. */
export const BUILD_TIMEOUT_MS = 60_000;

export function openAiEmbeddings(openai: NonNullable<Config['openai']>, purpose: 'query' | 'build' = 'query'): NamedEmbeddings {
  const embeddings = new OpenAIEmbeddings({
    apiKey: openai.apiKey,
    model: openai.embeddingModel,
    // a question's query embedding is held to LLM_TIMEOUT_MS (the one budget, see llm-gate.ts):
    // no retry that could outlast it
    ...(purpose === 'build' ? { timeout: Math.max(BUILD_TIMEOUT_MS, openai.timeoutMs), maxRetries: 1 } : { timeout: openai.timeoutMs, maxRetries: 0 }),
    ...(openai.baseUrl ? { configuration: { baseURL: openai.baseUrl } } : {}),
  });
  return { embeddings, identity: `openai:${openai.embeddingModel}@${openai.baseUrl ?? 'api.openai.com'}` };
}

/** Whether an embedder's identity (a manifest's `embedder`) names a remote one rather than the offline LSA. */
export function isRemoteEmbedder(identity: string): boolean {
  return identity.startsWith('openai:');
}

export function lsaEmbeddings(model: LsaEmbeddings): NamedEmbeddings {
  return { embeddings: model, identity: model.identity };
}
