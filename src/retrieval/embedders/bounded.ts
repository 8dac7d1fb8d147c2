/**
 * A dense retriever held to the question's deadline: the query embedding is a network call when
 * the embedder is remote, and the question must not wait for it beyond the one budget. When the
 * signal fires first the search continues without the dense half (the offline ranking).
 */
import type { DenseRetriever } from '../search.js';
import type { DenseMatch } from '../ranking/signals.js';

export function boundedDense(dense: DenseRetriever, signal: AbortSignal, onError: (error: unknown) => void): DenseRetriever {
  return {
    async search(query: string, k: number): Promise<DenseMatch[]> {
      try {
        if (signal.aborted) throw signal.reason;
        return await new Promise<DenseMatch[]>((resolve, reject) => {
          const abort = (): void => reject(signal.reason ?? new DOMException('時間切れ', 'TimeoutError'));
          signal.addEventListener('abort', abort, { once: true });
          dense.search(query, k).then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
        });
      } catch (error) {
        onError(error);
        throw error;
      }
    },
  };
}
