/**
 * Query analysis: what a question's words are, and what stands for each of them in the corpus.
 * Done once per question; every field and signal of the ranking reads the result.
 *
 * A word the user typed is searched as typed. When the documents never use it, three resources
 * may say what it means in their words: the glossary (the domain's own abbreviations, readings and
 * names: SC, 包括, ツドレバ), the synonym dictionary (general vocabulary: ミーティング → 会議), and a
 * one-character typo guess (伴送支援 → 伴走支援). Each expansion is recorded as an alternative for
 * the word, so coverage measures can credit a passage that has the word in another form.
 */
import { normalizeForMatch } from '../knowledge/normalize.js';
import type { WeightedTerms } from './bm25.js';
import { yearEquivalents, type GlossaryExpander } from './glossary.js';
import type { LexicalIndex } from './lexical.js';
import type { SynonymDictionary } from './synonyms.js';
import { bigramTokens, textWords, wordTokens } from './tokenize.js';

/** Resources the analysis may use; each can be switched off for the ablation. */
export interface AnalysisOptions {
  glossary: boolean;
  synonyms: boolean;
  typos: boolean;
}

export const ALL_ANALYSIS: AnalysisOptions = { glossary: true, synonyms: true, typos: true };

/**
 * Weights of the terms an expansion adds, relative to a word the user typed (1). Each is an
 * ablation figure's worth of evidence (npm run eval -- FILE --ablate), not a guess.
 */
export const EXPANSION_WEIGHTS = {
  /** A spelling one character away from a known word: usually right, sometimes another word. */
  typo: 0.6,
  /** A member of the same SudachiDict synonym group: near in meaning, not the same word. */
  synonym: 0.5,
  /** A year written in the other calendar (2025 ↔ 令和7年度): the same year. */
  year: 0.9,
  /** A term of the previous question, in a follow-up: it keeps the topic, the new question leads. */
  context: 0.5,
};

export interface AnalyzedQuery {
  /** Word terms with weights (typed words 1, expansions less). */
  words: WeightedTerms;
  /** Character-bigram terms with weights. */
  bigrams: WeightedTerms;
  /** Distinct words the user typed (known or not). */
  userWords: string[];
  /** Distinct nouns the user typed. */
  nouns: string[];
  /**
   * Nouns nothing in the corpus accounts for: not in the documents, not in the question variants,
   * not a glossary term, not general vocabulary the synonym dictionary relates to the corpus, not
   * a typo of a known word. Only these are evidence that a question is about something else.
   */
  foreignNouns: string[];
  /** Kanji runs as typed that the typo fixer read as a known spelling (伴送支援 for 伴走支援); empty with typos off. */
  mistyped: string[];
  /**
   * For a user word, what stands for it in the documents (typo guesses, glossary equivalents,
   * synonyms): alternatives, each the index words of one spelling, all of which a text must
   * contain (中山間地域 stands for 山奥 only as a whole, not through 地域 alone).
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

/**
 * Whether b is a katakana word one keystroke away from a: a kana swapped (ツドレパ for ツドレバ,
 * ショッブ for ショップ), or one kana missing or extra (ワーキン for ワーキング, when the IME left
 * the last kana unconverted and the segmenter dropped it).
 */
function oneKanaEdit(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  if (a.length === b.length) return oneSubstitution(a, b);
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  for (let i = 0; i < long.length; i++) if (long.slice(0, i) + long.slice(i + 1) === short) return true;
  return false;
}

const KATAKANA_WORD = /^[\p{Script=Katakana}ー]{4,}$/u;

export class QueryAnalyzer {
  /** For each kanji, the kanji that follow it and precede it somewhere in the documents. */
  private neighbours?: { next: Map<string, Set<string>>; prev: Map<string, Set<string>> };

  constructor(
    /** The documents' own words (the text field). */
    private readonly text: LexicalIndex,
    private readonly glossary: GlossaryExpander,
    private readonly synonyms?: SynonymDictionary,
    /** The question variants' words: everyday vocabulary the corpus accounts for. */
    private readonly variants?: LexicalIndex,
  ) {}

  analyze(query: string, options: AnalysisOptions = ALL_ANALYSIS): AnalyzedQuery {
    const words: WeightedTerms = new Map();
    const bigrams: WeightedTerms = new Map();
    const known = (w: string): boolean => this.text.words.has(w);
    const asTyped = textWords(query);
    const userWords = [...new Set(asTyped.words)];
    addAll(words, userWords, 1);
    addAll(bigrams, bigramTokens(query), 1);
    const related = new Map<string, string[][]>();
    const relate = (word: string, alternatives: string[][]): void => {
      const usable = alternatives.filter((alt) => alt.length && alt.every((f) => f !== word && known(f)));
      if (usable.length) related.set(word, [...(related.get(word) ?? []), ...usable]);
    };
    const expand = (tokens: string[], text: string, weight: number): void => {
      addAll(words, tokens, weight);
      addAll(bigrams, bigramTokens(text), weight);
    };
    if (options.glossary) {
      for (const match of this.glossary.matches(query)) {
        const typed = wordTokens(match.matched);
        // when the word the user typed never occurs in the documents, its equivalents are the only way
        // to find what they mean, so they count almost as much as a typed word
        const weight = typed.length && typed.every((t) => !known(t)) ? Math.max(match.weight, 0.8) : match.weight;
        // one-character expansions (都, 府, 町 …) match everywhere and only add noise
        for (const e of match.equivalents) expand(wordTokens(e).filter((t) => t.length > 1), e.length > 1 ? e : '', weight);
        for (const w of typed) relate(w, match.equivalents.map((e) => wordTokens(e).filter((t) => t.length > 1)));
      }
    }
    for (const year of yearEquivalents(query)) expand(wordTokens(year), year, EXPANSION_WEIGHTS.year);
    for (const w of userWords) {
      if (known(w) || related.has(w)) continue;
      if (options.synonyms && this.synonyms) {
        const alternatives = this.synonyms.expand(w);
        relate(w, alternatives);
        for (const alt of alternatives) expand(alt, alt.join(''), EXPANSION_WEIGHTS.synonym);
        if (related.has(w)) continue;
      }
      if (options.typos && /[\p{Script=Han}]/u.test(w) && w.length >= 3) {
        // a kanji word the documents never use may be a typo of one they do (大柿市 → 大垣市)
        const guesses = [...this.text.words.terms()].filter((t) => oneSubstitution(w, t));
        if (guesses.length && guesses.length <= 3) {
          relate(w, guesses.map((g) => [g]));
          for (const g of guesses) expand([g], g, EXPANSION_WEIGHTS.typo);
        }
      }
      if (options.typos && KATAKANA_WORD.test(w)) {
        // a katakana name one keystroke off a known one (ツドレパ → ツドレバ): names are where kana typos hurt
        const guesses = [...this.text.words.terms()].filter((t) => KATAKANA_WORD.test(t) && oneKanaEdit(w, t));
        if (guesses.length && guesses.length <= 3) {
          relate(w, guesses.map((g) => [g]));
          for (const g of guesses) expand([g], g, EXPANSION_WEIGHTS.typo);
        }
      }
    }
    const mistyped = options.typos ? this.mistypedRuns(query) : [];
    if (options.typos) {
      // a mistyped kanji compound is usually cut into single kanji by the segmenter (伴送支援 → 伴 送 支援),
      // so the word-level guess above never sees it: look at the whole kanji run instead
      for (const run of mistyped) {
        const fixed = wordTokens(run.fixed).filter(known);
        for (const w of wordTokens(run.typed)) if (!known(w)) relate(w, [fixed]);
        expand(fixed, run.fixed, EXPANSION_WEIGHTS.typo);
      }
    }
    const nouns = [...new Set(asTyped.nouns)];
    // English questions are judged as Japanese ones are: with about five English question variants
    // per passage, the domain has an English vocabulary of its own, and an English word that no
    // passage, variant, glossary term or synonym uses is as foreign as a Japanese one. (Before those
    // variants, an English word counted only when SudachiDict knew it from other topics; dropping
    // that exception raised the cross-validated recall 79.0% -> 81.5%, on English out-of-scope
    // questions 39% -> 55%, with the same 5 of 2,494 answerable questions refused.)
    const foreignNouns = nouns.filter((n) => !known(n) && !related.has(n) && !this.variants?.words.has(n) && !this.synonyms?.knows(n));
    return { words, bigrams, userWords, nouns, foreignNouns, mistyped: mistyped.map((r) => r.typed), related };
  }

  /**
   * Kanji runs of the query (3 characters or more) that the documents never write, with the
   * spellings one character away that they do: a character next to an unknown bigram is replaced
   * by one that makes every bigram of the run known (伴送支援 → 伴走支援, 地域包活支援 → 地域包括支援).
   * Runs with no such spelling or more than three are left alone.
   */
  private mistypedRuns(query: string): { typed: string; fixed: string }[] {
    const kanji = /^[\p{Script=Han}々]{2}$/u;
    const grams = this.text.bigrams;
    if (!this.neighbours) {
      const next = new Map<string, Set<string>>();
      const prev = new Map<string, Set<string>>();
      for (const g of grams.terms()) {
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
      const known = (i: number): boolean => grams.has(chars[i]! + chars[i + 1]!);
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
          if (fixed.every((_, j) => j === fixed.length - 1 || grams.has(fixed[j]! + fixed[j + 1]!))) fixes.add(fixed.join(''));
        }
      });
      if (fixes.size && fixes.size <= 3) for (const fixed of fixes) out.push({ typed: run, fixed });
    }
    return out;
  }
}
