/**
 * The search index on disk (DATA_DIR/index): lexical snapshots, the dense vectors with the
 * identity of their embedder, the fitted out-of-scope model and a snapshot of the validated
 * knowledge. It is built into a temporary folder and swapped in only when complete, so a failed
 * ingest leaves the previous index in use; `npm start` rebuilds only when the knowledge or the
 * embedder changed.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { ensureDataDir } from '../store/data-dir.js';
import { join } from 'node:path';
import { z } from 'zod';
import type { Config } from '../config.js';
import { KnowledgeError } from '../knowledge/errors.js';
import { loadKnowledge, type KnowledgeBase } from '../knowledge/load.js';
import type { Logger } from '../logger.js';
import { isRemoteEmbedder, lsaEmbeddings, openAiEmbeddings, type NamedEmbeddings } from './embedders/index.js';
import { LsaEmbeddings, readLsaModel, saveLsaModel } from './embedders/lsa.js';
import { LexicalIndex } from './lexical.js';
import { SentenceIndex } from './proximity.js';
import { weightsFor } from './ranking/weights.js';
import { answeredBy, fitScope, readCalibration } from './calibration.js';
import { QuestionNeighbours, readNeighbours, saveNeighbours } from './neighbours.js';
import { QuestionClassifier, readClassifier, saveClassifier } from './question-classifier.js';
import type { ScopeModel } from './scope.js';
import { buildFields, HybridSearch, passageQuestions, searchablePassages, type SearchFields } from './search.js';
import { compileSynonyms, SynonymDictionary, synonymSource } from './synonyms.js';
import { bigramTokens, nounTokens, textWords, wordTokens } from './tokenize.js';
import { VariantField } from './variant-field.js';
import { VectorIndex } from './vector-index.js';
import { readWording, saveWording, WordingExamples } from './wording-classifier.js';
import { failureOf, hostOf } from '../remote.js';

export const INDEX_FORMAT = 15;

/**
 * What the tokenisers make of a sample that exercises their rules (stopwords, counters, long
 * vowels, okurigana, English, typos' raw material). A change to tokenisation changes what the
 * saved index holds; with this in the manifest such a change rebuilds the index at the next start
 * instead of leaving an index whose terms no longer match the questions' terms.
 */
export const TOKENIZER_FINGERPRINT = createHash('sha256')
  .update(
    JSON.stringify(
      ['令和7年度には40社が参加した。生活支援コーディネーターと話し合いをして、企業に声をかけたいけど接点ゼロ。', 'ステップ2に進む目安は？山奥の町だと誰と組めばいい？変えられるの？手引きの見守り。移動販売で売ってる？', 'How many companies joined the working group in fiscal 2025?'].map((t) => [wordTokens(t), bigramTokens(t), nounTokens(t), textWords(t).okurigana]),
    ),
  )
  // the synonym dictionary's version: a new one compiles to other groups
  .update(synonymSource())
  .digest('hex')
  .slice(0, 16);

const ManifestSchema = z.object({
  format: z.literal(INDEX_FORMAT),
  contentHash: z.string(),
  tokenizer: z.string(),
  embedder: z.string(),
  dims: z.number().int().positive(),
  passages: z.number().int().nonnegative(),
  createdAt: z.string(),
  buildMs: z.number(),
});
export type IndexManifest = z.infer<typeof ManifestSchema>;

export interface LoadedIndex {
  kb: KnowledgeBase;
  search: HybridSearch;
  scope: ScopeModel;
  manifest: IndexManifest;
  /** Whether the knowledge on disk was invalid and the previous index is serving instead. */
  stale: boolean;
  /** The dense half on its own (the assistant holds a remote embedder to the question's deadline). */
  vectors?: VectorIndex;
}

export type Progress = (step: string) => void;

/**
 * The texts the dense embedder sees for each passage: the passage with its headings and its
 * question variants, so that the everyday words of the variants land near the passage's topic.
 */
/**
 * What the dense half embeds for each passage: its headings, its text, its question variants and
 * the calibration's answerable questions it answers (calibration.ts answeredBy). Those questions
 * only reach the dense half: the offline LSA learns from them which everyday words go with which
 * passages, which the lexical fields cannot. As variants in the ranking's variant field the
 * answerable examples had cost dev-2-tune four questions; here they gain (the commits say how much).
 */
export function denseTexts(kb: KnowledgeBase, examples: readonly { passage: string; question: string }[] = []): string[] {
  const byPassage = new Map<string, string[]>();
  for (const e of examples) byPassage.set(e.passage, [...(byPassage.get(e.passage) ?? []), e.question]);
  return searchablePassages(kb).map((p) => [p.titlePath.join('\n'), p.text, ...(kb.questions[p.id] ?? []), ...(byPassage.get(p.id) ?? [])].join('\n'));
}

/**
 * The question classifier, learnt from each searchable passage's questions (its variants, or a
 * local document's sentences standing in: search.ts passageQuestions) and the calibration
 * questions that passage answers (answeredBy), by passage index.
 */
export function trainClassifier(kb: KnowledgeBase, examples: readonly { passage: string; question: string }[] = []): QuestionClassifier {
  const passages = searchablePassages(kb);
  const position = new Map(passages.map((p, i) => [p.id, i]));
  const labelled = [
    ...passageQuestions(kb, passages).flatMap(({ questions, standIn }, i) => questions.map((question) => ({ passage: i, question, keepTerms: standIn }))),
    ...examples.flatMap((e) => (position.has(e.passage) ? [{ passage: position.get(e.passage)!, question: e.question }] : [])),
  ];
  return QuestionClassifier.train(labelled, passages.length);
}

function writeJson(file: string, value: unknown): void {
  writeFileSync(file, JSON.stringify(value));
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** Builds the whole index into `dir` (replacing what is there only at the end). */
export async function buildIndex(kb: KnowledgeBase, config: Pick<Config, 'dataDir' | 'knowledgeDir' | 'openai' | 'embeddings'>, logger?: Logger, progress: Progress = () => {}): Promise<LoadedIndex> {
  const started = Date.now();
  const dir = join(config.dataDir, 'index');
  const tmp = join(config.dataDir, `index.tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    progress('類義語辞書を準備中');
    const bare = buildFields(kb);
    const synonyms = compileSynonyms((w) => bare.text.words.has(w), (g) => bare.text.bigrams.has(g));
    progress(`語彙索引を作成中（${kb.passages.length} パッセージ、想定質問 ${bare.variants.size} 件）`);
    const calibration = readCalibration(config.knowledgeDir);
    const labelled = {
      answerable: [...Object.values(kb.questions).flat(), ...calibration.answerableExamples.map((i) => i.question)],
      inScope: calibration.inScope.map((i) => i.question),
      outOfScope: calibration.outOfScope.map((i) => i.question),
    };
    const neighbours = QuestionNeighbours.build(labelled);
    const wordingExamples = new WordingExamples(labelled);
    const examples = answeredBy(calibration, searchablePassages(kb));
    progress(`質問の分類器を学習中（${bare.variants.size + examples.length} 問）`);
    const fields: SearchFields = { ...bare, synonyms: new SynonymDictionary(synonyms), neighbours, classifier: trainClassifier(kb, examples), wording: wordingExamples.train() };
    const texts = denseTexts(kb, examples);
    let named: NamedEmbeddings | undefined;
    if (config.embeddings === 'openai' && config.openai) {
      progress(`埋め込みを取得中（${config.openai.embeddingModel}）`);
      named = openAiEmbeddings(config.openai);
    }
    let vectors: VectorIndex;
    let lsa: LsaEmbeddings | undefined;
    try {
      if (!named || !config.openai) throw new Error('offline');
      vectors = await VectorIndex.build(openAiEmbeddings(config.openai, 'build').embeddings, texts, named.embeddings);
    } catch (error) {
      if (named && config.openai) {
        const { kind, detail } = failureOf(error);
        logger?.warn({ host: hostOf(config.openai.baseUrl), kind, ...(detail ? { detail } : {}) }, 'OpenAI 埋め込みに失敗したため、オフラインの埋め込みで索引を作ります');
        logger?.debug({ err: error }, '埋め込みの失敗の詳細');
      }
      progress('オフラインの埋め込み（LSA）を学習中');
      lsa = LsaEmbeddings.train(texts);
      named = lsaEmbeddings(lsa);
      vectors = await VectorIndex.build(named.embeddings, texts);
    }
    const search = new HybridSearch(kb, fields, vectors, weightsFor(isRemoteEmbedder(named.identity)));
    progress('範囲外判定モデルを較正中');
    const scope = await fitScope(search, calibration, wordingExamples);
    progress('索引を保存中');
    writeJson(join(tmp, 'knowledge.json'), kb);
    writeJson(join(tmp, 'text.json'), fields.text.snapshot());
    writeJson(join(tmp, 'bodies.json'), fields.bodies.snapshot());
    writeJson(join(tmp, 'sentences.json'), fields.sentences.snapshot());
    writeJson(join(tmp, 'variants.json'), fields.variants.snapshot());
    writeJson(join(tmp, 'synonyms.json'), synonyms);
    writeJson(join(tmp, 'scope.json'), scope);
    saveNeighbours(tmp, neighbours.snapshot());
    saveClassifier(tmp, fields.classifier!.model);
    saveWording(tmp, fields.wording!.model);
    if (lsa) saveLsaModel(tmp, lsa.model);
    await vectors.write(join(tmp, 'vectors.hnsw'));
    const manifest: IndexManifest = {
      format: INDEX_FORMAT,
      contentHash: kb.contentHash,
      tokenizer: TOKENIZER_FINGERPRINT,
      embedder: named.identity,
      dims: vectors.dims,
      passages: vectors.size,
      createdAt: new Date().toISOString(),
      buildMs: Date.now() - started,
    };
    // the manifest is written last: an index folder without one is incomplete
    writeJson(join(tmp, 'manifest.json'), manifest);
    const old = join(config.dataDir, `index.old-${process.pid}`);
    if (existsSync(dir)) renameSync(dir, old);
    renameSync(tmp, dir);
    rmSync(old, { recursive: true, force: true });
    return { kb, search, scope, manifest, stale: false, vectors };
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
}

function readManifest(dir: string): IndexManifest | null {
  try {
    const parsed = ManifestSchema.safeParse(readJson(join(dir, 'manifest.json')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The identity the configured embedder would have (for the offline model: any saved LSA). */
function wantedEmbedder(config: Pick<Config, 'openai' | 'embeddings'>): string | 'lsa' {
  return config.embeddings === 'openai' && config.openai ? openAiEmbeddings(config.openai).identity : 'lsa';
}

/** Loads a saved index; the knowledge comes from the index's own snapshot. */
export async function readIndex(dir: string, config: Pick<Config, 'openai' | 'knowledgeDir'>, manifest: IndexManifest, stale: boolean): Promise<LoadedIndex> {
  const kb = readJson<KnowledgeBase>(join(dir, 'knowledge.json'));
  const fields: SearchFields = {
    text: LexicalIndex.fromSnapshot(readJson(join(dir, 'text.json'))),
    bodies: LexicalIndex.fromSnapshot(readJson(join(dir, 'bodies.json'))),
    sentences: SentenceIndex.fromSnapshot(readJson(join(dir, 'sentences.json'))),
    variants: VariantField.fromSnapshot(readJson(join(dir, 'variants.json'))),
    synonyms: new SynonymDictionary(readJson(join(dir, 'synonyms.json'))),
    neighbours: readNeighbours(dir),
    classifier: readClassifier(dir),
    wording: readWording(dir),
  };
  let named: NamedEmbeddings;
  if (isRemoteEmbedder(manifest.embedder) && config.openai) named = openAiEmbeddings(config.openai);
  else named = lsaEmbeddings(new LsaEmbeddings(readLsaModel(dir)));
  const vectors = await VectorIndex.read(join(dir, 'vectors.hnsw'), named.embeddings, manifest.dims, manifest.passages);
  return { kb, search: new HybridSearch(kb, fields, vectors, weightsFor(isRemoteEmbedder(manifest.embedder))), scope: readJson<ScopeModel>(join(dir, 'scope.json')), manifest, stale, vectors };
}

/**
 * Opens the index for serving: reuses the saved one when it matches the knowledge and the
 * embedder, builds it otherwise. If the knowledge no longer validates but an index exists, the
 * previous index keeps serving (and the error is logged).
 */
export interface OpenOptions {
  /** The start-up check found the embeddings endpoint down: keep the last good index, build offline if there is none. */
  remoteDown?: boolean;
}

export async function openIndex(config: Config, logger?: Logger, progress?: Progress, options: OpenOptions = {}): Promise<LoadedIndex> {
  const dir = join(config.dataDir, 'index');
  // a folder that cannot be created or written fails here with one line naming DATA_DIR (never hangs)
  ensureDataDir(config.dataDir);
  const manifest = readManifest(dir);
  let kb: KnowledgeBase;
  try {
    kb = loadKnowledge({ dir: config.knowledgeDir, localDirs: config.localKnowledgeDirs });
  } catch (error) {
    if (error instanceof KnowledgeError && manifest) {
      logger?.error({ err: error }, '知識ベースの検証に失敗しました。前回の索引で動作を続けます');
      return readIndex(dir, config, manifest, true);
    }
    throw error;
  }
  const wanted = wantedEmbedder(config);
  const reason = rebuildReason(manifest, kb.contentHash, wanted);
  if (!reason) return readIndex(dir, config, manifest!, false);
  if (wanted !== 'lsa' && options.remoteDown) {
    // the endpoint is down: the index we have is the best we can get, and a rebuild would only make an offline one
    if (reason === REBUILD_REASONS.embedder) {
      logger?.info({ embeddings: manifest!.embedder }, '埋め込みのエンドポイントに接続できないため、前回の索引をそのまま使います');
      return readIndex(dir, config, manifest!, false);
    }
    config = { ...config, embeddings: 'offline' };
  }
  logger?.info({ reason }, '検索索引を作成します');
  return buildIndex(kb, config, logger, progress);
}

/** Why a saved index cannot serve, in the words the log uses. */
export const REBUILD_REASONS = {
  missing: '索引がありません',
  knowledge: '知識ベースが変わりました',
  tokenizer: '語の切り出し方が変わりました',
  embedder: '埋め込みの設定が変わりました',
} as const;

/**
 * Why the saved index must be rebuilt, or null when it serves as it is: it is missing, it was
 * built from other knowledge or by another version of the tokenisers, or with another embedder
 * than the one configured (any offline LSA counts as the offline one).
 */
export function rebuildReason(manifest: Pick<IndexManifest, 'contentHash' | 'tokenizer' | 'embedder'> | null, contentHash: string, wanted: string | 'lsa'): string | null {
  if (!manifest) return REBUILD_REASONS.missing;
  if (manifest.contentHash !== contentHash) return REBUILD_REASONS.knowledge;
  if (manifest.tokenizer !== TOKENIZER_FINGERPRINT) return REBUILD_REASONS.tokenizer;
  if (wanted === 'lsa' ? !manifest.embedder.startsWith('lsa-') : manifest.embedder !== wanted) return REBUILD_REASONS.embedder;
  return null;
}
