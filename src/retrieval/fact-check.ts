/**
 * The "not stated" check (see facts.ts for the kinds of fact): what a fact question is about, and
 * whether any passage about it states such a fact. The search runs it on every question; the scope
 * decision (scope.ts) turns an unstated fact into 「資料には○○の記載がありません」.
 */
import type { KnowledgeBase } from '../knowledge/load.js';
import type { Passage } from '../knowledge/passage.js';
import type { AnalyzedQuery } from './analyze.js';
import type { Bm25Index } from './bm25.js';
import { askedFact, factQuestion, statesFact, type FactKind, type PlaceKind } from './facts.js';
import { endsNoun, nounTokens, readAsTerms, wordTokens } from './tokenize.js';

/** What the check found: the kind asked for, the thing it is about, and whether a passage about it states one. */
export interface FactFinding {
  kind: FactKind;
  /** For names: which town, prefecture, organisation or firm is asked for (the reply names it so). */
  place?: PlaceKind;
  entity: string;
  stated: boolean;
  passageIds: string[];
  /** The thing is a compound no document writes (so nothing about it is stated). */
  unwritten?: boolean;
  /**
   * The thing is only a word of a heading (結果, 取組), no name the knowledge records: the scope
   * decision lets a confident refusal stand over "not stated" for it.
   */
  headingWord?: boolean;
}

/** A noun in at most this share of the passages names something specific (a case, a programme). */
const SPECIFIC_SHARE = 0.05;

/** Nouns that name the kind of fact asked for, not the thing it is about. */
const FACT_NOUN = /電話|番号|メール|アドレス|url|リンク|予算|金額|費用|単価|補助|円|日程|日付|期限|締切|次回|人数|件数|社数|名前|氏名|名簿|メンバー|何/;

/**
 * The part of the question that asks for the fact. A question of several sentences asks it of
 * the one with the interrogative, and the others are context (「シルバー人材センターと組みたい。
 * 自走までの事業費って補助ある？」 asks about 事業費, not the partner): the whole question only
 * when that sentence names nothing of its own (「ツドレバの件です。電話番号は？」).
 */
export function askingPart(query: string): string {
  const parts = query.split(/(?<=[。．!！?？:：\n])/u).map((x) => x.trim()).filter(Boolean);
  if (parts.length < 2) return query;
  const asking = parts.find((x) => factQuestion(x));
  if (!asking) return query;
  const text = asking.normalize('NFKC');
  const names = (text.match(/[\p{Script=Han}\p{Script=Katakana}ー]{2,}/gu) ?? []).some((r) => !FACT_NOUN.test(r)) || /[a-z]{5,}/i.test(text.replace(/how many|number of|how much|how long/gi, ''));
  return names ? asking : query;
}

/** A text without white space, to compare names across the extraction's stray spaces. */
function compact(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '');
}

/** The names a question quotes (「…」『…』), without white space: it names the thing as the documents do. */
function quotedNames(text: string): string[] {
  return [...text.normalize('NFKC').matchAll(/「([^」]{3,})」|『([^』]{3,})』/g)].map((m) => compact(m[1] ?? m[2]!));
}

/** A year or date (R7年度, 令和7年, 2025年度) says when, not what the question is about. */
const DATE_RUN = /^(令和|平成|r|R)?\d+(年度?|月|日)?(\d+(月|日))*$/;

/** Fact kinds the documents give rarely (contacts): the best passages stand in for an unnamed thing. */
const CONTACT_KINDS: ReadonlySet<FactKind> = new Set(['phone', 'email', 'url']);
/** How many of the best passages stand in for it. */
const CONTACT_HITS = 3;
/**
 * How long a compound the documents merely write must be to name a thing (ガバメントピッチ,
 * 立ち上げ事例集), in characters. Measured with the best passages checked too (WRITTEN_HITS) on the
 * not-stated calibration (238 unstated) and the answerable guards (in-scope calibration 2,494,
 * answerable examples 2,316, question variants 3,162, counted when the check says "not stated"):
 * none 172 found, guards 4 / 10 / 5; 7 → 176; 5 → 179; 4 → 184, guards 4 / 11 / 5; 3 → 186 but
 * in-scope 7.
 */
const WRITTEN_NAME = 4;
/**
 * How many best passages are checked with such a name's own, as the fact may be told where the
 * name is not repeated: with 4 characters, 1 → 187 found but variants 6; 3 and 5 → 184, guards
 * 4 / 11 / 5.
 */
const WRITTEN_HITS = 3;
/**
 * Whether a compound is long enough to be an organisation's or a programme's own name
 * (全国コープ福祉事業連帯機構), not a generic word that has no contact of its own (窓口, 担当課, hp).
 */
function ownName(run: string): boolean {
  return [...run.normalize('NFKC')].length >= 4;
}

/**
 * Whether a text names something, as written or by the name it abbreviates: a Japanese
 * abbreviation keeps its full name's characters in order (日本総研 = 日本総合研究所, 厚労省 =
 * 厚生労働省), so the name's characters standing in order within a short stretch of one line count.
 */
function mentions(text: string, name: string): boolean {
  if (text.includes(name)) return true;
  const chars = [...name];
  const reach = chars.length * 2 + 1;
  return text.split('\n').some((line) => {
    const at = [...line];
    for (let start = at.indexOf(chars[0]!); start >= 0; start = at.indexOf(chars[0]!, start + 1)) {
      let i = 1;
      for (let j = start + 1; j < at.length && j - start < reach && i < chars.length; j++) if (at[j] === chars[i]) i++;
      if (i === chars.length) return true;
    }
    return false;
  });
}

/** How many lines above a contact still belong to its block (問い合わせ先, the office, the section). */
const CONTACT_BLOCK = 4;

/** The words of names: what a fact question can be about. */
function nameWords(names: readonly string[]): Set<string> {
  return new Set(names.flatMap((n) => wordTokens(n)).filter((w) => w.length >= 2));
}

export class FactCheck {
  /** Words of the names the knowledge base records: cases, places, organisations, programmes, glossary terms. */
  private readonly recorded: Set<string>;
  /** Those and the words of the passages' headings. */
  private readonly names: Set<string>;
  /** The names the knowledge records (glossary terms that headings or cases use, case places, functions) of three characters or more, NFKC. */
  private readonly gazetteer: string[];
  /** Each glossary term's spellings (its group's terms), NFKC. */
  private readonly spellings: Map<string, string[]>;
  /** Everything the knowledge names things by (headings, cases, glossary, functions), NFKC: a fact question's compounds. */
  private readonly namedAs: string;
  /** The same without the headings: the names the knowledge records. */
  private readonly recordedAs: string;

  /** Each passage's text with its headings, NFKC, without white space (the extraction left stray spaces in names). */
  private readonly compactTexts: string[];

  /** The place of the case each section tells (case-kunneppu → 北海道訓子府町): where its passages are about. */
  private readonly casePlaces: Map<string, string>;

  /** Each passage's text with its headings and its question variants, NFKC. */
  private readonly withVariants: string[];

  constructor(
    kb: KnowledgeBase,
    private readonly passages: readonly Passage[],
    /** The text field's dictionary words: which passages use a word. */
    private readonly words: Bm25Index,
    /** Each passage's text with its headings, NFKC: where a fact question's compound is looked up. */
    private readonly normalizedTexts: readonly string[],
  ) {
    this.recorded = nameWords([
      ...kb.glossary.groups.flatMap((g) => g.terms),
      ...kb.cases.flatMap((c) => [c.place, c.title, ...(c.prefecture ? [c.prefecture] : []), ...(c.municipality ? [c.municipality] : []), ...c.actors]),
      ...kb.functions.flatMap((f) => [f.name, f.shortName]),
    ]);
    this.names = new Set([...this.recorded, ...nameWords(passages.map((p) => p.sectionTitle))]);
    this.casePlaces = new Map(kb.cases.map((c) => [c.sectionId, c.place]));
    this.compactTexts = normalizedTexts.map(compact);
    this.withVariants = passages.map((p, i) => `${normalizedTexts[i]}\n${(kb.questions[p.id] ?? []).join('\n').normalize('NFKC')}`);
    // a glossary term is a name when a heading or a case uses it (うえたん号), not a spelling rule (問い合わせ/問合せ)
    const headingsAndCases = [...passages.flatMap((p) => p.titlePath), ...kb.cases.flatMap((c) => [c.place, c.title, c.summary, ...c.actors, ...c.facts])].join('\n').normalize('NFKC');
    this.gazetteer = [...new Set([...kb.glossary.groups.flatMap((g) => g.terms), ...kb.cases.map((c) => c.place), ...kb.functions.map((f) => f.name)].map((n) => n.normalize('NFKC')))].filter(
      (n) => [...n].length >= 3 && /[\p{Script=Han}\p{Script=Katakana}\p{Script=Hiragana}]/u.test(n) && headingsAndCases.includes(n),
    );
    this.spellings = new Map(kb.glossary.groups.flatMap((g) => g.terms.map((t) => [t.normalize('NFKC'), g.terms.map((x) => x.normalize('NFKC'))] as const)));
    this.recordedAs = [...kb.cases.flatMap((c) => [c.place, c.title, ...c.actors]), ...kb.glossary.groups.flatMap((g) => g.terms), ...kb.functions.flatMap((f) => [f.name, f.shortName])]
      .join('\n')
      .normalize('NFKC');
    this.namedAs = [...new Set(passages.flatMap((p) => p.titlePath)), this.recordedAs].join('\n').normalize('NFKC');
  }

  /**
   * The thing a fact question is about is the most specific name it mentions that the documents
   * use: a compound the documents write (具体化ワーキング, 情報交換会, プラチナ・サポート・ショップ) or
   * a name word (directly or through the glossary) — a case, a place, a programme, an organisation —
   * in the fewest passages and in few enough to be specific (「ツドレバ」, not 「企業」). The fact
   * counts as stated when a passage naming it states one.
   *
   * Contacts (a phone number, an e-mail address, a URL) are rare in the documents, so when the
   * question names nothing specific the best passages stand in for the thing: none of them giving
   * one means the documents do not.
   */
  check(query: string, analyzed: AnalyzedQuery, hits: readonly { index: number }[]): { fact?: FactFinding } {
    const asked = factQuestion(query);
    if (!asked) return {};
    const { kind } = asked;
    const part = askingPart(query);
    const { runs, forms } = this.thingsNamed(part, analyzed);
    const contact = CONTACT_KINDS.has(kind) && runs[0] ? { noun: runs[0], docs: hits.slice(0, CONTACT_HITS).map((h) => h.index) } : undefined;
    const written = forms[0] || contact ? undefined : this.writtenName(runs);
    const entity = forms[0] ?? contact ?? written;
    if (!entity || !entity.docs.length) return {};
    // the next most specific name may be the same thing written another way (伴走支援 / 伴走的支援 of
    // 加速化事業); a name the documents merely write is checked with the best passages as well, as the
    // fact may be told where the name is not repeated
    const about = [...new Set([...entity.docs, ...(forms[1]?.docs ?? []), ...(written ? hits.slice(0, WRITTEN_HITS).map((h) => h.index) : [])])];
    // a thing the documents write by its own name must have its own contact (the ministry's number at
    // the foot of a notice is not a federation's); for a generic word (窓口, hp) or a thing they never
    // write, the passages about it, or the best ones standing in, give whatever they have
    const named = forms[0]?.noun ?? entity.noun;
    const names = ownName(named) && (forms[0] || this.normalizedTexts.some((t) => t.includes(named))) ? (this.spellings.get(named) ?? [named]) : [];
    const stated = about.some((i) => this.states(i, kind, query, names));
    const headingWord = Boolean(forms[0]?.headingWord);
    return {
      fact: { kind, ...(asked.place ? { place: asked.place } : {}), entity: entity.noun, stated, passageIds: entity.docs.map((i) => this.passages[i]!.id), ...(headingWord ? { headingWord } : {}) },
    };
  }

  /**
   * A long compound of the question that the documents write in few passages, though no heading,
   * case or glossary term names anything by it (ガバメントピッチ, 立ち上げ事例集): the thing asked
   * about when nothing the knowledge records is named.
   */
  private writtenName(runs: readonly string[]): { noun: string; docs: number[] } | undefined {
    const specific = Math.max(3, Math.round(this.passages.length * SPECIFIC_SHARE));
    for (const run of runs) {
      if ([...run].length < WRITTEN_NAME) continue;
      const name = compact(run);
      const docs = this.passages.map((_, i) => i).filter((i) => this.compactTexts[i]!.includes(name));
      if (docs.length && docs.length <= specific) return { noun: run, docs };
    }
    return undefined;
  }

  /**
   * The names a text mentions that the knowledge records (`runs`, longest first) and those specific
   * enough to be what a fact question is about, each with the passages naming it, most specific first.
   */
  private thingsNamed(part: string, analyzed: AnalyzedQuery): { runs: string[]; forms: { noun: string; docs: number[]; headingWord?: boolean }[] } {
    const words = this.words;
    const partNouns = new Set(nounTokens(part));
    const specific = Math.max(3, Math.round(this.passages.length * SPECIFIC_SHARE));
    const all = this.passages.map((_, i) => i);
    // a name the knowledge records, found as written (うえたん号: kana and kanji, no run catches it whole)
    const text = part.normalize('NFKC');
    const runs = [...new Set([...this.gazetteer.filter((name) => text.includes(name)), ...this.entityRuns(part)])];
    const forms = [
      // a name the question quotes (「ボランティア団体等の立ち上げ事例集」) is the thing asked about, when a passage writes it
      ...quotedNames(part).map((name) => ({ noun: name, docs: all.filter((i) => this.compactTexts[i]!.includes(name)) })),
      // a compound counts when the knowledge names something by it (a heading, a case, a glossary
      // term: 情報交換会, 具体化ワーキング), not when the text merely writes it (キャッシュレス決済);
      // 〜方 (選び方, 巻き込み方) is a way of doing, not a thing
      ...runs
        .filter((r) => this.namesSomething(r) && !r.endsWith('方'))
        .map((r) => {
          // a glossary term is about what its group names, in any of its spellings (厚労省 = 厚生労働省 = 国)
          const spellings = this.spellings.get(r) ?? [r];
          return { noun: r, docs: all.filter((i) => spellings.some((x) => this.normalizedTexts[i]!.includes(x))), headingWord: !this.namesSomething(r, this.recordedAs) };
        }),
      ...analyzed.nouns
        .filter((n) => !FACT_NOUN.test(n) && partNouns.has(n))
        .flatMap((n) => (words.has(n) ? [{ noun: n, terms: [n] }] : (analyzed.related.get(n) ?? []).map((terms) => ({ noun: n, terms }))))
        .filter((f) => f.terms.some((t) => this.names.has(t)))
        // named as the question writes it, or, for a word of another script (tsudoreba), as the documents do
        .map((f) => ({
          noun: runs.find((r) => r.includes(f.noun)) ?? (/^[a-z]/.test(f.noun) ? f.terms.join('') : f.noun),
          docs: all.filter((i) => f.terms.every((t) => words.contains(t, i))),
          headingWord: !f.terms.some((t) => this.recorded.has(t)),
        })),
    ]
      .filter((f) => f.docs.length > 0 && f.docs.length <= specific)
      .sort((a, b) => a.docs.length - b.docs.length || b.noun.length - a.noun.length);
    return { runs, forms };
  }

  /**
   * Whether a passage states the fact. A contact (phone, e-mail, URL) counts only when it is the
   * named thing's: the headings name it, or it is named in the contact's own block (the lines just
   * above it: 問い合わせ先, the office, 電話). The ministry's number at the foot of a notice that
   * mentions a federation is not the federation's number.
   */
  private states(index: number, kind: FactKind, query: string, names: readonly string[]): boolean {
    const passage = this.passages[index]!;
    const headings = passage.titlePath.join('\n');
    // which place a case passage is about, the case's record says even where its text does not
    if (kind === 'names') return statesFact(passage.text, kind, query, [headings, this.casePlaces.get(passage.sectionId) ?? ''].join('\n'));
    if (!CONTACT_KINDS.has(kind) || !names.length) return statesFact(passage.text, kind, query, headings);
    const named = (text: string): boolean => names.some((n) => mentions(text.normalize('NFKC').toLowerCase(), n.toLowerCase()));
    if (named(headings)) return statesFact(passage.text, kind, query, headings);
    const lines = passage.text.split('\n');
    return lines.some((line, at) => statesFact(line, kind, query) && named(lines.slice(Math.max(0, at - CONTACT_BLOCK), at + 1).join('\n')));
  }

  /**
   * A fact question about a term no document writes (介護保険料, 職員配置基準, 処遇改善加算; see
   * unwrittenTerms): the documents cannot state a fact about what they never mention.
   */
  unwritten(query: string, terms: readonly string[]): { fact?: FactFinding } {
    const asked = factQuestion(query);
    const part = askingPart(query).normalize('NFKC');
    const term = terms.find((c) => !FACT_NOUN.test(c) && part.includes(c.normalize('NFKC')));
    return asked && term ? { fact: { kind: asked.kind, entity: term, stated: false, passageIds: [], unwritten: true } } : {};
  }

  /**
   * The question's unwritten compounds (search.ts novelCompounds) that read as terms where the
   * question writes them (a noun ends there, not a verb's stem: ヘルパー入|れる; no question word
   * inside) and that no passage writes in other words (市場サービス活用 is 市場サービスを活用 of a passage).
   */
  unwrittenTerms(query: string, novel: readonly string[]): string[] {
    return readAsTerms(query, novel).filter((c) => !this.writtenApart(c));
  }

  /** Whether one passage (with its question variants) writes every word of a compound. */
  private writtenApart(compound: string): boolean {
    // a one-character word is a suffix or prefix of its neighbour (保険|料, 都市|部): one part with it
    const parts = wordTokens(compound).reduce<string[]>((out, w) => (w.length === 1 && out.length ? [...out.slice(0, -1), out[out.length - 1]! + w] : [...out, w]), []);
    return this.withVariants.some((t) => parts.every((w) => t.includes(w)));
  }

  /**
   * Whether the knowledge names something by this compound: it stands in a heading, a case, a
   * glossary term or a function's name as a whole word, not as the start of a longer one (問い合 of
   * 問い合わせ): what follows it there is not okurigana.
   */
  private namesSomething(run: string, names = this.namedAs): boolean {
    for (let at = names.indexOf(run); at >= 0; at = names.indexOf(run, at + 1)) {
      if (endsNoun(names.slice(at + run.length, at + run.length + 4))) return true;
    }
    return false;
  }

  /** The question's kanji/katakana compounds that can name a thing (not the fact asked for), longest first. */
  private entityRuns(query: string): string[] {
    // okurigana inside a compound (買い物支援, 気づきワーキング, 話し合い, 立ち上げ事例集) keep it one compound; particles end it
    const runs = query.normalize('NFKC').match(/(?:[\p{Script=Han}\p{Script=Katakana}ー・A-Za-z0-9]|(?<=\p{Script=Han})[いきりしちみけえびづつげ]{1,2}(?=[\p{Script=Han}\p{Script=Katakana}]))+/gu) ?? [];
    return [...new Set(runs)]
      .map((r) => r.replace(/^・+|・+$/g, ''))
      .filter((r) => !DATE_RUN.test(r))
      .filter((r) => ([...r].length >= 3 || this.names.has(r.toLowerCase())) && /[\p{Script=Han}\p{Script=Katakana}]/u.test(r) && !FACT_NOUN.test(r) && !askedFact(r))
      .sort((a, b) => b.length - a.length);
  }
}
