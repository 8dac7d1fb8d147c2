/**
 * The needs a municipality reported in its checklist, as categories of the provider directory.
 *
 * The checklist (handbook 図6) asks no question per category: Q3 and Q4 are about the
 * municipality's own difficulties (no contact with providers, no ideas …) and the support it wants
 * from the prefecture. What a municipality lacks on the ground ("買い物に困っている高齢者が多い")
 * is written in its free text: Q2 (the situation behind a 「いいえ」) and the 「その他」 of Q3
 * and Q4. Those texts are matched against the taxonomy's category and sub-category names and the
 * words of knowledge/data/need-categories.json. Q3's 「多様な主体が分からない・接点がない」 and
 * Q4's 「多様な主体リストの共有」 mark a municipality that asked for providers in general: they
 * raise its gaps in the ranking.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { ChecklistAnswers } from '../checklist/model.js';
import { KnowledgeError } from '../knowledge/errors.js';
import { normalizeForMatch } from '../knowledge/normalize.js';
import type { Taxonomy } from '../knowledge/schema.js';
import { ANALYSIS } from '../messages/analysis.js';

export const NeedCategoriesSchema = z.object({
  note: z.string(),
  categories: z.array(z.object({ id: z.string().min(1), words: z.array(z.string().min(1)), caseQuery: z.string().min(1) })).min(1),
});
export type NeedCategories = z.infer<typeof NeedCategoriesSchema>;

/** Where in the checklist a need was written. */
export type NeedSource = 'q2' | 'q3' | 'q4';
export const SOURCE_LABEL: Record<NeedSource, string> = { q2: ANALYSIS.sourceQ2, q3: ANALYSIS.sourceQ3, q4: ANALYSIS.sourceQ4 };

/** One category a municipality's answers name, with the word that named it. */
export interface ReportedNeed {
  categoryId: string;
  source: NeedSource;
  word: string;
}

/** What one municipality's latest answers say. */
export interface MunicipalityNeeds {
  needs: ReportedNeed[];
  /** Q3: 市町村で活動している多様な主体が分からない・接点がない. */
  noContact: boolean;
  /** Q4: 多様な主体リストの共有 (or a matching event). */
  wantsProviders: boolean;
}

/** Matching words per category: the file's words, the category name and its sub-category names. */
export interface NeedMatcher {
  words: { categoryId: string; word: string; key: string }[];
  caseQuery: Map<string, string>;
}

const cache = new Map<string, NeedCategories>();

/** Reads and validates knowledge/data/need-categories.json (once per folder). */
export function loadNeedCategories(knowledgeDir: string, taxonomy: Taxonomy): NeedCategories {
  const file = join(knowledgeDir, 'data', 'need-categories.json');
  const hit = cache.get(file);
  if (hit) return hit;
  const parsed = NeedCategoriesSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new KnowledgeError('need-categories.json', parsed.error.issues[0]!.path.join('.'), parsed.error.issues[0]!.message);
  for (const c of parsed.data.categories) {
    if (!taxonomy.categories.some((t) => t.id === c.id)) throw new KnowledgeError('need-categories.json', c.id, `カテゴリ「${c.id}」は taxonomy.json にありません`);
  }
  cache.set(file, parsed.data);
  return parsed.data;
}

/** The matching words of every category, longest first. */
export function needMatcher(taxonomy: Taxonomy, data: NeedCategories): NeedMatcher {
  const words: NeedMatcher['words'] = [];
  const add = (categoryId: string, word: string): void => {
    const key = normalizeForMatch(word);
    if ([...key].length >= 2 && !words.some((w) => w.key === key)) words.push({ categoryId, word, key });
  };
  for (const c of taxonomy.categories) {
    data.categories.find((d) => d.id === c.id)?.words.forEach((w) => add(c.id, w));
    c.name.split('・').forEach((w) => add(c.id, w));
    // 「その他(買物)」 names no need; 「理容・美容(送迎)」 is 理容・美容
    c.subcategories.filter((s) => !s.name.startsWith('その他')).forEach((s) => add(c.id, s.name.replace(/\(.*?\)$/, '')));
  }
  // the longest word first: 「移動販売」 is shopping before 「移動」 could be anything else
  words.sort((a, b) => b.key.length - a.key.length);
  return { words, caseQuery: new Map(data.categories.map((c) => [c.id, c.caseQuery])) };
}

/** The categories named in one free text, each once, with the first word that named it. */
export function needsInText(matcher: NeedMatcher, text: string, source: NeedSource): ReportedNeed[] {
  let rest = normalizeForMatch(text);
  const found: ReportedNeed[] = [];
  for (const w of matcher.words) {
    if (!rest.includes(w.key)) continue;
    // a matched word is used up, so 「移動販売」 does not also count as 「販売」 elsewhere
    rest = rest.split(w.key).join('\u0000');
    if (!found.some((f) => f.categoryId === w.categoryId)) found.push({ categoryId: w.categoryId, source, word: w.word });
  }
  return found;
}

/** The needs in one municipality's latest answers, and whether it asked for providers. */
export function needsOf(matcher: NeedMatcher, a: ChecklistAnswers): MunicipalityNeeds {
  const needs: ReportedNeed[] = [];
  const texts: [NeedSource, string | undefined][] = [['q2', a.q2], ['q3', a.q3.other], ['q4', a.q4.other]];
  for (const [source, t] of texts) {
    if (!t) continue;
    for (const n of needsInText(matcher, t, source)) if (!needs.some((x) => x.categoryId === n.categoryId)) needs.push(n);
  }
  return { needs, noContact: a.q3.options.includes('unknown-providers'), wantsProviders: a.q4.options.includes('provider-list') };
}
