/**
 * The lexical half of the hybrid search: BM25 over dictionary words and over character bigrams,
 * with glossary expansion and a one-character typo fallback for unknown kanji words.
 */
import type { Passage } from '../knowledge/passage.js';
import { Bm25Index, type Bm25Snapshot, type WeightedTerms } from './bm25.js';
import { yearEquivalents, type GlossaryExpander } from './glossary.js';
import { normalizeForMatch } from '../knowledge/normalize.js';
import { bigramTokens, textWords, wordTokens } from './tokenize.js';

/** Weight of a term guessed from a typo (one character different from a known word). */
export const TYPO_WEIGHT = 0.6;
/** Weight of a one-kanji verb stem the user typed (組|めば): it matches other verbs' stems too. */
export const VERB_STEM_WEIGHT = 0.5;
/** How much the bigram view counts next to the word view. */
export const BIGRAM_WEIGHT = 0.7;

export interface LexicalSnapshot {
  words: Bm25Snapshot;
  bigrams: Bm25Snapshot;
}

/** How much of something a text contains (0..1), given whether it contains a word. */
export type ShareMeasure = (contains: (term: string) => boolean) => number;

export interface AnalyzedQuery {
  words: WeightedTerms;
  bigrams: WeightedTerms;
  /** User words that the index has never seen (after typo correction failed). */
  unknownWords: string[];
  /** Number of user word tokens. */
  wordCount: number;
  /** Distinct words the user typed (known or not). */
  userWords: string[];
  /** Distinct nouns the user typed, and those of them the documents never use. */
  nouns: string[];
  unknownNouns: string[];
  /**
   * For a user word, what stands for it in the documents (typo guesses, glossary equivalents):
   * alternatives, each the index words of one spelling, all of which a text must contain
   * (中山間地域 stands for 山奥 only as a whole, not through 地域 alone).
   */
  related: Map<string, string[][]>;
}

function addAll(target: WeightedTerms, tokens: string[], weight: number): void {
  for (const t of tokens) target.set(t, Math.max(target.get(t) ?? 0, weight));
}

/** True if a and b have the same length and differ in exactly one character. */
function oneSubstitution(a: string, b: string): boolean {
  if (a.length !== b.length || a === b) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && ++diff > 1) return false;
  return diff === 1;
}

export class LexicalIndex {
  private constructor(
    readonly words: Bm25Index,
    readonly bigrams: Bm25Index,
  ) {}

  /** Builds both views from the text each passage is indexed with. */
  static build(indexTexts: string[]): LexicalIndex {
    return new LexicalIndex(Bm25Index.build(indexTexts.map(wordTokens)), Bm25Index.build(indexTexts.map(bigramTokens)));
  }

  static fromSnapshot(s: LexicalSnapshot): LexicalIndex {
    return new LexicalIndex(Bm25Index.fromSnapshot(s.words), Bm25Index.fromSnapshot(s.bigrams));
  }

  snapshot(): LexicalSnapshot {
    return { words: this.words.snapshot(), bigrams: this.bigrams.snapshot() };
  }

  analyze(query: string, glossary?: GlossaryExpander): AnalyzedQuery {
    const words: WeightedTerms = new Map();
    const bigrams: WeightedTerms = new Map();
    // the query segmented once, for its words, its nouns and its verb stems
    const asTyped = textWords(query);
    const userWords = [...new Set(asTyped.words)];
    const stems = asTyped.stems;
    // a one-kanji verb stem (組|めば) matches other verbs' stems too (組|み立て): it counts for less
    for (const w of userWords) addAll(words, [w], stems.has(w) ? VERB_STEM_WEIGHT : 1);
    addAll(bigrams, bigramTokens(query), 1);
    const related = new Map<string, string[][]>();
    const relate = (word: string, alternatives: string[][]): void => {
      const known = alternatives.filter((alt) => alt.length && alt.every((f) => f !== word && this.words.has(f)));
      if (known.length) related.set(word, [...(related.get(word) ?? []), ...known]);
    };
    for (const w of userWords) {
      if (this.words.has(w)) continue;
      // a kanji word the documents never use may be a typo of one they do (大柿市 → 大垣市)
      const guesses = /[\p{Script=Han}]/u.test(w) && w.length >= 3 ? [...this.words.terms()].filter((t) => oneSubstitution(w, t)) : [];
      if (guesses.length && guesses.length <= 3) {
        relate(w, guesses.map((g) => [g]));
        for (const g of guesses) {
          addAll(words, [g], TYPO_WEIGHT);
          addAll(bigrams, bigramTokens(g), TYPO_WEIGHT);
        }
      }
    }
    // a mistyped kanji compound is usually cut into single kanji by the segmenter (伴送支援 → 伴 送 支援),
    // so the word-level guess above never sees it: look at the whole kanji run instead
    for (const run of this.mistypedRuns(query)) {
      const fixed = wordTokens(run.fixed).filter((t) => this.words.has(t));
      for (const w of wordTokens(run.typed)) if (!this.words.has(w)) relate(w, [fixed]);
      addAll(words, fixed, TYPO_WEIGHT);
      addAll(bigrams, bigramTokens(run.fixed), TYPO_WEIGHT);
    }
    for (const year of yearEquivalents(query)) {
      addAll(words, wordTokens(year), 0.9);
      addAll(bigrams, bigramTokens(year), 0.9);
    }
    for (const match of glossary?.matches(query) ?? []) {
      const forms = match.equivalents.flatMap((e) => wordTokens(e)).filter((t) => t.length > 1);
      // when the word the user typed never occurs in the documents, its equivalents are the only way
      // to find what they mean (山奥 → 山間部), so they count almost as much as a typed word
      const typed = wordTokens(match.matched);
      const weight = typed.length && typed.every((t) => !this.words.has(t)) ? Math.max(match.weight, 0.8) : match.weight;
      // one-character expansions (都, 府, 町 …) match everywhere and only add noise
      addAll(words, forms, weight);
      addAll(bigrams, match.equivalents.flatMap((e) => bigramTokens(e)).filter((t) => t.length > 1), weight);
      const alternatives = match.equivalents.map((e) => wordTokens(e).filter((t) => t.length > 1));
      for (const w of wordTokens(match.matched)) relate(w, alternatives);
    }
    const unknownWords = userWords.filter((w) => !this.words.has(w) && !related.has(w));
    // in a question asked in English, an English word the glossary does not translate can never match
    // the Japanese documents: it says nothing either way about scope, so it is left out of the nouns.
    // In a Japanese question it is a name the documents do not use (ChatGPT, Excel): it counts.
    const japanese = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(query) && (query.match(/[a-z][a-z'-]*/gi) ?? []).length <= 2;
    // 手引き, 見守り: a noun with okurigana counts when the documents use it (a verb form they do
    // not use says nothing, like a casual verb)
    const nouns = [...new Set([...asTyped.nouns, ...asTyped.okurigana.filter((w) => this.words.has(w))])].filter((n) => japanese || !/^[a-z]/.test(n) || this.words.has(n) || related.has(n));
    const unknownNouns = nouns.filter((n) => !this.words.has(n) && !related.has(n));
    return { words, bigrams, unknownWords, wordCount: userWords.length, userWords, related, nouns, unknownNouns };
  }

  /** For each kanji, the kanji that follow it and precede it somewhere in the documents. */
  private neighbours?: { next: Map<string, Set<string>>; prev: Map<string, Set<string>> };

  /**
   * Kanji runs of the query (3 characters or more) that the documents never write, with the
   * spellings one character away that they do: a character next to an unknown bigram is replaced
   * by one that makes every bigram of the run known (伴送支援 → 伴走支援, 地域包活支援 → 地域包括支援).
   * Runs with no such spelling or more than three are left alone.
   */
  private mistypedRuns(query: string): { typed: string; fixed: string }[] {
    const kanji = /^[\p{Script=Han}々]{2}$/u;
    if (!this.neighbours) {
      const next = new Map<string, Set<string>>();
      const prev = new Map<string, Set<string>>();
      for (const g of this.bigrams.terms()) {
        if (!kanji.test(g)) continue;
        const [a, b] = [...g] as [string, string];
        (next.get(a) ?? next.set(a, new Set()).get(a)!).add(b);
        (prev.get(b) ?? prev.set(b, new Set()).get(b)!).add(a);
      }
      this.neighbours = { next, prev };
    }
    const { next, prev } = this.neighbours;
    const out: { typed: string; fixed: string }[] = [];
    for (const [run] of normalizeForMatch(query).matchAll(/[\p{Script=Han}々]{3,}/gu)) {
      const chars = [...run];
      const known = (i: number): boolean => this.bigrams.has(chars[i]! + chars[i + 1]!);
      if (chars.every((_, i) => i === chars.length - 1 || known(i))) continue;
      const fixes = new Set<string>();
      chars.forEach((_, i) => {
        // only a character next to an unknown bigram can be the mistyped one
        if ((i === 0 || known(i - 1)) && (i === chars.length - 1 || known(i))) return;
        const before = i > 0 ? next.get(chars[i - 1]!) : undefined;
        const after = i < chars.length - 1 ? prev.get(chars[i + 1]!) : undefined;
        const options = before && after ? [...before].filter((c) => after.has(c)) : [...(before ?? after ?? [])];
        for (const c of options) {
          const fixed = [...chars.slice(0, i), c, ...chars.slice(i + 1)];
          if (fixed.every((_, j) => j === fixed.length - 1 || this.bigrams.has(fixed[j]! + fixed[j + 1]!))) fixes.add(fixed.join(''));
        }
      });
      if (fixes.size && fixes.size <= 3) for (const fixed of fixes) out.push({ typed: run, fixed });
    }
    return out;
  }

  /**
   * Share of the question's nouns (IDF-weighted, unknown nouns counted as rare) that passage
   * `doc` contains, directly or through an equivalent. Used for the out-of-scope decision.
   */
  nounCoverage(q: AnalyzedQuery, doc: number): number {
    return this.shareMeasure(q.nouns, q, 0.8)((t) => this.words.contains(t, doc));
  }

  /**
   * Share of the query's information (IDF mass of the words the user typed, unknown words
   * counted as rare) that passage `doc` contains, directly or through a glossary equivalent.
   */
  coverage(q: AnalyzedQuery, doc: number): number {
    return this.coverageMeasure(q)((t) => this.words.contains(t, doc));
  }

  /** The coverage measure for any text (one sentence, say), given whether it contains a word. */
  coverageMeasure(q: AnalyzedQuery): ShareMeasure {
    return this.shareMeasure(q.userWords, q, 0.6);
  }

  /**
   * IDF-weighted share of `words` a text contains; a word found only through an equivalent earns
   * `relatedCredit`. The weights are worked out once, the measure is applied to many texts.
   */
  private shareMeasure(words: string[], q: AnalyzedQuery, relatedCredit: number): ShareMeasure {
    const terms = words.map((w) => ({ w, idf: Math.min(1, q.words.get(w) ?? 1) * (this.words.has(w) ? this.words.idf(w) : this.words.idf('\u0000')), related: q.related.get(w) ?? [] }));
    const total = terms.reduce((sum, t) => sum + t.idf, 0);
    return (contains) => {
      if (!total) return 0;
      let found = 0;
      for (const t of terms) {
        if (contains(t.w)) found += t.idf;
        else if (t.related.some((alt) => alt.every(contains))) found += relatedCredit * t.idf;
      }
      return found / total;
    };
  }

  /** Combined lexical scores by passage index. */
  score(q: AnalyzedQuery): Map<number, number> {
    const scores = this.words.score(q.words);
    for (const [doc, s] of this.bigrams.score(q.bigrams)) scores.set(doc, (scores.get(doc) ?? 0) + BIGRAM_WEIGHT * s);
    return scores;
  }
}

/** The text a passage is indexed with: headings, record keywords and the passage itself. */
export function indexText(passage: Passage, keywords: string[]): string {
  return [...new Set(keywords)].join('\n') + '\n' + passage.text;
}
