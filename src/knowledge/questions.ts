/**
 * Question variants (想定質問): the questions users would type that a passage answers, kept as
 * knowledge data next to the documents (knowledge/data/questions.json, and questions.json in a
 * prefecture's own folder). Matching a user's question against questions is far more reliable
 * than against answer text (Sakata et al., SIGIR 2019, the localgovFAQ study): people ask in
 * everyday words the documents never use. The variants are indexed as their own field and never
 * shown or cited; citations stay the documents' text.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KnowledgeError } from './errors.js';
import { fingerprint } from './normalize.js';
import { isSearchable, type Passage } from './passage.js';
import { QuestionVariantsSchema, type QuestionVariants } from './schema.js';

export const QUESTIONS_FILE = 'questions.json';

/** Reads one questions file (null when the folder has none). */
export function readQuestionVariants(file: string): QuestionVariants | null {
  if (!existsSync(file)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new KnowledgeError(file, 'file', `JSON として読めません（${(error as Error).message.split('\n')[0]}）`);
  }
  const parsed = QuestionVariantsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new KnowledgeError(file, issue.path.join('.') || 'file', issue.message);
  }
  return parsed.data;
}

/** Sentences of a passage as comparison keys: a variant must be a question, not a copied sentence. */
function sentenceKeys(text: string): Set<string> {
  return new Set(text.split(/\n|(?<=[。！？])/).map(fingerprint).filter((k) => k.length >= 6));
}

/**
 * Checks the variants against the passages: every id names a searchable passage, no variant
 * repeats one of its passage's sentences, and (for `required` passages, the project's own
 * documents) every searchable passage has variants or is listed as not a target.
 */
export function validateQuestionVariants(file: string, q: QuestionVariants, passages: readonly Passage[], required: (p: Passage) => boolean): void {
  const byId = new Map(passages.map((p) => [p.id, p]));
  for (const [id, list] of Object.entries(q.variants)) {
    const p = byId.get(id);
    if (!p) throw new KnowledgeError(file, id, 'この id のパッセージがありません（文書を直したときは id を確かめてください）');
    if (!isSearchable(p)) throw new KnowledgeError(file, id, '検索の対象でないパッセージ（見出しだけ、目次など）です');
    if (id in q.notTargets) throw new KnowledgeError(file, id, 'variants と notTargets の両方にあります');
    const sentences = sentenceKeys(p.text);
    const seen = new Set<string>();
    for (const v of list) {
      const key = fingerprint(v);
      if (sentences.has(key)) throw new KnowledgeError(file, id, `「${v.slice(0, 40)}」は本文の文そのままです（利用者が入力する質問の形で書いてください）`);
      if (seen.has(key)) throw new KnowledgeError(file, id, `「${v.slice(0, 40)}」が重複しています`);
      seen.add(key);
    }
  }
  for (const id of Object.keys(q.notTargets)) {
    if (!byId.has(id)) throw new KnowledgeError(file, `notTargets.${id}`, 'この id のパッセージがありません');
  }
  const missing = passages.filter((p) => isSearchable(p) && required(p) && !(p.id in q.variants) && !(p.id in q.notTargets));
  if (missing.length) {
    throw new KnowledgeError(file, missing[0]!.id, `想定質問がありません（variants に質問を書くか、notTargets に理由を書いてください。ほか ${missing.length - 1} 件）`);
  }
}

/**
 * The variants of the project's knowledge folder and of each local folder, merged by passage id.
 * The project's file is required and must cover its documents; a local folder's file is optional.
 */
export function loadQuestionVariants(dataDir: string, localDirs: readonly string[], passages: readonly Passage[], isLocal: (p: Passage) => boolean): { variants: Record<string, string[]>; files: string[] } {
  const variants: Record<string, string[]> = {};
  const files: string[] = [];
  const own = join(dataDir, QUESTIONS_FILE);
  const main = readQuestionVariants(own);
  if (!main) throw new KnowledgeError(QUESTIONS_FILE, 'file', `${own} がありません`);
  validateQuestionVariants(QUESTIONS_FILE, main, passages, (p) => !isLocal(p));
  files.push(own);
  Object.assign(variants, main.variants);
  for (const dir of localDirs) {
    const file = join(dir, QUESTIONS_FILE);
    const local = readQuestionVariants(file);
    if (!local) continue;
    validateQuestionVariants(file, local, passages, () => false);
    files.push(file);
    for (const [id, list] of Object.entries(local.variants)) variants[id] = [...(variants[id] ?? []), ...list];
  }
  return { variants, files };
}
