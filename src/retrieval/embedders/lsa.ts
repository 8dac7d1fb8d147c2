/**
 * The offline default embedder: latent semantic analysis trained on the knowledge base itself.
 *
 * It needs no download and no network, which is what a closed local-government network needs.
 * Terms are the same words and character bigrams as the lexical index, weighted by TF-IDF; a
 * truncated SVD (through the eigendecomposition of the passage Gram matrix) maps a text to a
 * dense vector in which passages that share vocabulary with the same neighbours end up close,
 * so a question can match a passage it shares few exact words with. It implements LangChain's
 * `Embeddings` so that it is interchangeable with OpenAIEmbeddings.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Embeddings } from '@langchain/core/embeddings';
import { z } from 'zod';
import { normalize, symmetricEigen } from '../linalg.js';
import { bigramTokens, wordTokens } from '../tokenize.js';

export interface LsaModel {
  version: 1;
  dims: number;
  /** Term → idf, in the order of the projection rows. */
  terms: [string, number][];
  /** The projection matrix, one row of `dims` numbers per term, row after row. */
  rows: Float32Array;
}

const LsaHeaderSchema = z.object({ version: z.literal(1), dims: z.number().int().positive(), terms: z.array(z.tuple([z.string(), z.number()])) });

/**
 * Saved as a small JSON header (terms and idf) and the raw float32 matrix: parsing the matrix as
 * JSON numbers took most of the cold start; float32 is the precision the vector index keeps anyway.
 */
export function saveLsaModel(dir: string, model: LsaModel): void {
  writeFileSync(join(dir, 'lsa.json'), JSON.stringify({ version: model.version, dims: model.dims, terms: model.terms }));
  writeFileSync(join(dir, 'lsa.f32'), new Uint8Array(model.rows.buffer, model.rows.byteOffset, model.rows.byteLength));
}

export function readLsaModel(dir: string): LsaModel {
  const header = LsaHeaderSchema.parse(JSON.parse(readFileSync(join(dir, 'lsa.json'), 'utf8')));
  const bytes = readFileSync(join(dir, 'lsa.f32'));
  if (bytes.byteLength !== header.terms.length * header.dims * 4) throw new Error('lsa.f32 の大きさが lsa.json と合いません');
  // copy into an aligned buffer of its own (a Buffer from the pool may start at any byte offset)
  const rows = new Float32Array(header.terms.length * header.dims);
  new Uint8Array(rows.buffer).set(bytes);
  return { ...header, rows };
}

function termCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of wordTokens(text)) counts.set(`w:${t}`, (counts.get(`w:${t}`) ?? 0) + 1);
  for (const t of bigramTokens(text)) counts.set(`b:${t}`, (counts.get(`b:${t}`) ?? 0) + 1);
  return counts;
}

export class LsaEmbeddings extends Embeddings {
  private readonly projection: Map<string, { idf: number; row: Float32Array }>;

  constructor(readonly model: LsaModel) {
    super({});
    const { dims, rows } = model;
    this.projection = new Map(model.terms.map(([t, idf], i) => [t, { idf, row: rows.subarray(i * dims, (i + 1) * dims) }]));
  }

  /** Identity saved with the vector index: a different model means a rebuild. */
  get identity(): string {
    return `lsa-v${this.model.version}-${this.model.dims}d-${this.model.terms.length}t`;
  }

  /** Trains the model on the corpus texts. */
  static train(texts: string[], dims = 128): LsaEmbeddings {
    const docs = texts.map(termCounts);
    const df = new Map<string, number>();
    for (const d of docs) for (const t of d.keys()) df.set(t, (df.get(t) ?? 0) + 1);
    const n = docs.length;
    // terms that occur in one passage only cannot relate passages to each other
    const vocab = [...df].filter(([, f]) => f >= 2 && f < n * 0.5).map(([t]) => t);
    const idf = new Map(vocab.map((t) => [t, Math.log(n / df.get(t)!)]));
    const weight = (d: Map<string, number>): Map<string, number> => {
      const w = new Map<string, number>();
      let norm = 0;
      for (const [t, c] of d) {
        const i = idf.get(t);
        if (i === undefined) continue;
        const x = (1 + Math.log(c)) * i;
        w.set(t, x);
        norm += x * x;
      }
      norm = Math.sqrt(norm) || 1;
      for (const [t, x] of w) w.set(t, x / norm);
      return w;
    };
    const weighted = docs.map(weight);
    // Gram matrix G = Xᵀ X (passages × passages); its eigenvectors are the right singular vectors.
    const gram = Array.from({ length: n }, () => new Float64Array(n));
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        let dot = 0;
        const [small, large] = weighted[i]!.size < weighted[j]!.size ? [weighted[i]!, weighted[j]!] : [weighted[j]!, weighted[i]!];
        for (const [t, x] of small) dot += x * (large.get(t) ?? 0);
        gram[i]![j] = dot;
        gram[j]![i] = dot;
      }
    }
    const { values, vectors } = symmetricEigen(gram);
    const k = Math.min(dims, values.filter((v) => v > 1e-9).length);
    // U_k Σ_k⁻¹ row for term t = Σ_j X[t,j] V[j,k] / σ_k²·σ_k … folded so that embed(doc_j) = V_j (unit scale per dim)
    const rows = new Map<string, Float64Array>();
    for (let j = 0; j < n; j++) {
      for (const [t, x] of weighted[j]!) {
        let row = rows.get(t);
        if (!row) rows.set(t, (row = new Float64Array(k)));
        for (let c = 0; c < k; c++) row[c]! += (x * vectors[c]![j]!) / Math.sqrt(values[c]!);
      }
    }
    const flat = new Float32Array(rows.size * k);
    [...rows.values()].forEach((row, i) => flat.set(row, i * k));
    return new LsaEmbeddings({ version: 1, dims: k, terms: [...rows.keys()].map((t) => [t, idf.get(t)!]), rows: flat });
  }

  embed(text: string): number[] {
    const counts = termCounts(text);
    const vec = new Float64Array(this.model.dims);
    let any = false;
    for (const [t, c] of counts) {
      const p = this.projection.get(t);
      if (!p) continue;
      any = true;
      const x = (1 + Math.log(c)) * p.idf;
      for (let i = 0; i < vec.length; i++) vec[i]! += x * p.row[i]!;
    }
    return any ? normalize(vec) : Array.from(vec);
  }

  override async embedDocuments(documents: string[]): Promise<number[][]> {
    return documents.map((d) => this.embed(d));
  }

  override async embedQuery(document: string): Promise<number[]> {
    return this.embed(document);
  }
}
