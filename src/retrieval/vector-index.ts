/**
 * Dense vectors in hnswlib-node, with the label of each vector equal to the passage's position
 * in the searchable passage list. Saved next to a manifest naming the embedder, so a different
 * embedder (offline LSA vs an OpenAI model) triggers a rebuild instead of a silent mismatch.
 *
 * hnswlib-node is a CommonJS native addon: default import only, and `ef` is not persisted, so it
 * is set after every build and every read (see FIELD-NOTES).
 */
import hnswlib from 'hnswlib-node';
import type { Embeddings } from '@langchain/core/embeddings';
import type { DenseRetriever } from './search.js';

const { HierarchicalNSW } = hnswlib;
type Hnsw = InstanceType<typeof HierarchicalNSW>;

/** Search breadth: far above the corpus's need for recall, still sub-millisecond. */
export const EF_SEARCH = 64;
const M = 16;
const EF_CONSTRUCTION = 200;

export class VectorIndex implements DenseRetriever {
  private constructor(
    private readonly index: Hnsw,
    private readonly embeddings: Embeddings,
    readonly dims: number,
    readonly size: number,
  ) {
    index.setEf(EF_SEARCH);
  }

  /**
   * Embeds every passage text and builds the graph. `queryEmbeddings` embeds the questions later
   * (a remote embedder's build client may wait longer than a question can).
   */
  static async build(embeddings: Embeddings, texts: string[], queryEmbeddings: Embeddings = embeddings): Promise<VectorIndex> {
    const vectors = await embeddings.embedDocuments(texts);
    const dims = vectors[0]?.length ?? 0;
    if (!dims) throw new Error('埋め込みベクトルの次元が 0 です');
    const index = new HierarchicalNSW('cosine', dims);
    index.initIndex({ maxElements: Math.max(1, vectors.length), m: M, efConstruction: EF_CONSTRUCTION, randomSeed: 42 });
    vectors.forEach((v, i) => {
      if (v.length !== dims) throw new Error(`埋め込みの次元が揃っていません（${v.length} と ${dims}）`);
      index.addPoint(v, i);
    });
    return new VectorIndex(index, queryEmbeddings, dims, vectors.length);
  }

  /** Reads a saved graph. */
  static async read(file: string, embeddings: Embeddings, dims: number, size: number): Promise<VectorIndex> {
    const index = new HierarchicalNSW('cosine', dims);
    await index.readIndex(file);
    return new VectorIndex(index, embeddings, dims, size);
  }

  async write(file: string): Promise<void> {
    await this.index.writeIndex(file);
  }

  async search(query: string, k: number): Promise<{ index: number; similarity: number }[]> {
    const vector = await this.embeddings.embedQuery(query);
    if (!vector.some((x) => x !== 0)) return [];
    const { neighbors, distances } = this.index.searchKnn(vector, Math.min(k, this.size));
    return neighbors.map((index, i) => ({ index, similarity: 1 - distances[i]! }));
  }
}
