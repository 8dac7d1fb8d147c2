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

export function openAiEmbeddings(openai: NonNullable<Config['openai']>): NamedEmbeddings {
  const embeddings = new OpenAIEmbeddings({
    apiKey: openai.apiKey,
    model: openai.embeddingModel,
    timeout: openai.timeoutMs * 2,
    maxRetries: 1,
    ...(openai.baseUrl ? { configuration: { baseURL: openai.baseUrl } } : {}),
  });
  return { embeddings, identity: `openai:${openai.embeddingModel}@${openai.baseUrl ?? 'api.openai.com'}` };
}

export function lsaEmbeddings(model: LsaEmbeddings): NamedEmbeddings {
  return { embeddings: model, identity: model.identity };
}
