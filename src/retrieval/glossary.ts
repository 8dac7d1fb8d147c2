/**
 * Query expansion with the glossary: what users type (SC, 包括, 県, 山奥, くんねっぷ) is matched
 * with the terms the documents use. Matching is on the normalised query; terms marked wholeWord
 * match only as a whole segmenter word, so 「県」 does not fire inside 「沖縄県」.
 */
import type { Glossary } from '../knowledge/schema.js';
import { normalizeForMatch, toKatakana } from '../knowledge/normalize.js';

const segmenter = new Intl.Segmenter('ja', { granularity: 'word' });

export interface GlossaryMatch {
  /** The term found in the query. */
  matched: string;
  /** The other terms of its group. */
  equivalents: string[];
  /** How interchangeable the terms of this group are (1 = the same thing written differently). */
  weight: number;
}

/**
 * Readings, spelling variants and abbreviations name the same thing; synonyms and colloquial
 * paraphrases only overlap in meaning, so they count for less than the words the user typed.
 */
export const GROUP_WEIGHT: Record<Glossary['groups'][number]['kind'], number> = {
  reading: 1,
  variant: 1,
  abbreviation: 0.8,
  english: 0.8,
  synonym: 0.45,
  colloquial: 0.35,
};

export class GlossaryExpander {
  private readonly groups: { terms: string[]; norm: string[]; light: string[]; conjugated: (RegExp | null)[]; whole: Set<string>; weight: number; english: boolean }[];

  constructor(glossary: Glossary) {
    this.groups = glossary.groups.map((g) => {
      const norm = g.terms.map((t) => toKatakana(normalizeForMatch(t)));
      const light = norm.map(withoutObjectParticle);
      return {
        terms: g.terms,
        norm,
        light,
        conjugated: light.map(conjugations),
        whole: new Set((g.wholeWord ?? []).map((t) => toKatakana(normalizeForMatch(t)))),
        weight: GROUP_WEIGHT[g.kind],
        english: g.kind === 'english',
      };
    });
  }

  /** Every group that the query mentions, with the terms to add. */
  matches(query: string): GlossaryMatch[] {
    const norm = toKatakana(normalizeForMatch(query));
    const light = withoutObjectParticle(norm);
    const words = new Set([...segmenter.segment(norm)].filter((s) => s.isWordLike).map((s) => s.segment));
    const out: GlossaryMatch[] = [];
    for (const g of this.groups) {
      const hit = g.norm.findIndex((t, i) => (g.whole.has(t) ? words.has(t) : norm.includes(t) || light.includes(g.light[i]!) || Boolean(g.conjugated[i]?.test(light))));
      if (hit < 0) continue;
      // English groups translate English questions; a Japanese question gains nothing from English terms
      if (g.english && !/[a-z]/.test(g.norm[hit]!)) continue;
      out.push({ matched: g.terms[hit]!, equivalents: g.terms.filter((_, i) => i !== hit && !norm.includes(g.norm[i]!)), weight: g.weight });
    }
    return out;
  }

  /** The equivalents to add to the query, each with its weight. */
  expansions(query: string): { text: string; weight: number }[] {
    return this.matches(query).flatMap((m) => m.equivalents.map((text) => ({ text, weight: m.weight })));
  }
}

/**
 * The same expression with and without its object particle: 「声をかける」 and 「声かけ」, 「顔を出す」
 * and 「顔出し」, 「手を組む」 and 「手組み」 are one phrase written two ways. (Applied to the
 * katakana-folded form, where を is ヲ.)
 */
function withoutObjectParticle(text: string): string {
  return text.replace(/([\p{Script=Han}々])ヲ(?=[\p{Script=Han}\p{Script=Katakana}])/gu, '$1');
}

/** Kana that can follow the stem of a godan verb, by the verb's last kana (katakana-folded). */
const GODAN_ENDINGS: Record<string, string> = {
  ウ: 'ワイウエオッ', ク: 'カキクケコイ', グ: 'ガギグゲゴイ', ス: 'サシスセソ', ツ: 'タチツテトッ',
  ヌ: 'ナニヌネノン', ブ: 'バビブベボン', ム: 'マミムメモン', ル: 'ラリルレロッ',
};

/**
 * A verb in the glossary in its dictionary form (組む, 伝える, 回る) matches any of its forms in a
 * question (組んで, 組めば, 伝えたい, 回って): a pattern of its stem and the kana its conjugations
 * continue with. Null for terms that are not a kanji verb.
 */
function conjugations(term: string): RegExp | null {
  const escaped = (x: string): string => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // ichidan (伝える, 始める, 載せる): the stem keeps its e/i kana and takes any ending
  const ichidan = /^(.*[\p{Script=Han}々][エケセテネヘメレゲゼデベイキシチニヒミリギジビ])ル$/u.exec(term);
  if (ichidan) return new RegExp(escaped(ichidan[1]!));
  const godan = /^(.*[\p{Script=Han}々])([ウクグスツヌブムル])$/u.exec(term);
  if (godan) return new RegExp(`${escaped(godan[1]!)}[${GODAN_ENDINGS[godan[2]!]}]`);
  return null;
}

/**
 * Western and Japanese era years name the same fiscal year (2025 ↔ 令和7年度). Returns the other
 * spellings of every year the query mentions.
 */
export function yearEquivalents(query: string): string[] {
  const out: string[] = [];
  const norm = normalizeForMatch(query);
  for (const m of norm.matchAll(/(?<!\d)(20[1-4]\d)(?!\d)/g)) {
    const year = Number(m[1]);
    if (year >= 2019) out.push(`令和${year - 2018}年度`, `R${year - 2018}年度`);
    else out.push(`平成${year - 1988}年度`);
  }
  for (const m of norm.matchAll(/(令和|r)(\d{1,2})年?/g)) out.push(`${Number(m[2]) + 2018}年`, `令和${m[2]}年度`, `R${m[2]}年度`);
  return out;
}
