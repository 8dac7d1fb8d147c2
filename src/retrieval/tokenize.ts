/**
 * Japanese-aware tokenisation for the lexical index.
 *
 * Two views of the same text, as in Elasticsearch's Japanese practice: dictionary words from the
 * ICU segmenter built into Node (precision, no download, no extra memory), and character bigrams
 * of every Japanese run (recall for compounds the segmenter splits differently, typos and
 * unknown names). Intl.Segmenter is quadratic on very long strings, so text is segmented sentence
 * by sentence (see FIELD-NOTES).
 */
import { stemmer } from 'stemmer';
import { normalizeForMatch, toKatakana } from '../knowledge/normalize.js';

const segmenter = new Intl.Segmenter('ja', { granularity: 'word' });

/** Function words and fillers that carry no topic: particles, copulas, casual endings. */
const STOPWORDS = new Set(
  `の に は を が で と も や へ から まで より など て た だ な ね よ か し って という といった こと もの ため よう
   です ます でし まし ある いる する し れる られる せる なる いう ない ず ぬ これ それ あれ どれ この その あの どの
   ここ そこ どこ どう どんな 何 なに なん いつ だれ 誰 ってる てる でる とか けど けれど でも のに ので なら ば
   では には とは について にとって ながら たり したら すると じゃ だけ しか
   した して します しない しよう しましょう させる させて された される
   ほう 方 ん 的 等 ら さ 様 お ご 町 市 村 区 、 。 ？ ! ? w いい よい 良い 教え 知り たい 知りたい ください 下さい 思い 思う おもう
   っ ぽい みたい すごく どういう どうやって どうすれば どうしたら どうしたらいい なにか 何か いくら くらい ぐらい いくつ なんで なぜ どうして やる やっ やれ でき できる できた できます 本当 ちょっと 結局 実際 それぞれ 場合 とき 時 的に 具体 具体的`.split(/\s+/).filter(Boolean),
);

/** English function words, for the occasional question asked in English. */
const ENGLISH_STOPWORDS = new Set(
  `a an the of in on at to for from by with about as is are was were be been being do does did doing have has had
   what which who whom whose when where why how that this these those it its it's i you we they he she my your our their
   me us them there here can could should would will shall may might must not no yes and or but if then than so
   any some all each every other such only own same too very just also into over under again further once
   s t d ll m re ve mentioned say says said tell know`.split(/\s+/).filter(Boolean),
);

const JAPANESE_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー々〆ヶ]+|[\p{L}\p{N}]+/gu;
const HAS_KANJI_OR_KATAKANA = /[\p{Script=Han}\p{Script=Katakana}]/u;

/** Splits into sentences (and lines: bullets end without 。), short enough for the segmenter. */
export function splitSentences(text: string): string[] {
  return text.split(/(?<=[。！？!?\n])/).filter((s) => s.trim());
}

/**
 * Numbers with their counter (「2回目」「令和7年度」「40社」「第1層」) are one token: the segmenter
 * splits them into digits and counters that say nothing on their own.
 */
const NUMBER_WITH_COUNTER = /(?:令和|平成|第)?\d+(?:\.\d+)?(?:回目|回|年度|年|か月|ヶ月|カ月|月|日|社|件|名|人|か所|カ所|ヶ所|箇所|層|章|店舗|種類|歳|%|万|千円|百万円|億)/g;

const KATAKANA_ONLY = /^[\p{Script=Katakana}ー]+$/u;

/**
 * Katakana words are written with and without their final long-vowel mark (コーディネーター and
 * コーディネータ, サーバー and サーバ, as the JIS and the older government styles differ): the mark is
 * dropped from words of four characters or more, in the documents and in questions alike.
 */
const FINAL_LONG_VOWEL = /(?<=[\p{Script=Katakana}][\p{Script=Katakana}ー]{2})ー(?![\p{Script=Katakana}ー])/gu;

function withoutFinalLongVowel(word: string): string {
  return KATAKANA_ONLY.test(word) ? word.replace(FINAL_LONG_VOWEL, '') : word;
}

/**
 * An English word by its Porter stem (wooorm's stemmer): a question asked in English says
 * organizations, supports, trained where a variant or a glossary entry says organization, support,
 * training. Short words (SC, PF, NPO) are names and stay as they are.
 */
function englishStem(word: string): string {
  return /^[a-z]{4,}$/.test(word) ? stemmer(word) : word;
}

/**
 * Word segments of a sentence, with runs of katakana re-joined: ICU sometimes cuts an unknown
 * katakana word into single letters (「ゼロ」 → 「ゼ」「ロ」).
 */
function segments(sentence: string): { segment: string; isWordLike: boolean }[] {
  const out: { segment: string; isWordLike: boolean }[] = [];
  for (const seg of segmenter.segment(sentence)) {
    const prev = out[out.length - 1];
    if (prev && prev.isWordLike && seg.isWordLike && KATAKANA_ONLY.test(prev.segment) && KATAKANA_ONLY.test(seg.segment) && (prev.segment.length === 1 || seg.segment.length === 1)) {
      prev.segment += seg.segment;
      continue;
    }
    out.push({ segment: seg.segment, isWordLike: Boolean(seg.isWordLike) });
  }
  return out;
}

/** Particles and copulas: what follows a noun (事情に, 目安は), as opposed to okurigana. */
const PARTICLES = /^(の|に|は|を|が|で|と|も|や|へ|か|から|まで|より|って|など|だ|です|じゃ|でも|とか|しか|だけ|ほど|くらい|ぐらい|ね|よ)/;

/**
 * Whether the text right after a kanji or katakana run ends it as a noun: nothing, a non-hiragana
 * character, or a particle or copula (人員基準|って). Other hiragana are okurigana: the run's last
 * kanji is a verb's stem (ヘルパー入|れる), or the run is the start of a longer word (問い合|わせ).
 */
export function endsNoun(after: string): boolean {
  return !/^\p{Script=Hiragana}/u.test(after) || PARTICLES.test(after);
}

/**
 * The compounds (runs of the question) that read as terms where the question writes them: a noun
 * ends there, not a verb's stem run into a noun (ヘルパー入|れる), and no question word is inside
 * (やり方何パターン).
 */
export function readAsTerms(question: string, compounds: readonly string[]): string[] {
  const text = question.normalize('NFKC');
  return compounds.filter((c) => !c.includes('何') && endsNoun(text.slice(text.indexOf(c) + c.length)));
}

/** What follows a verb's te-form (ている, てた, てもらえる, てほしい, てみる, てくれる, ておく, てある, てない, てます, ちゃう). */
const TE_FORM_AUXILIARY = /^(る|た|て|い|ない|なかっ|もら|ほし|み|くれ|くだ|お|あ|ま[すし]|しま|ちゃ)/;
/** What follows a godan verb's negative stem (湧か|ない, 行か|なかった, 分から|ず). */
const NEGATIVE_AUXILIARY = /^(ない|なかっ|なく|ず)/;

/**
 * A single kanji the segmenter cut off its okurigana (変|えられる, 使|える, 来|る), or its te-form
 * or negative ending (売|って|る, 湧|か|ない), is the stem of a verb or an adjective, not a noun:
 * the documents not using it says nothing about the topic.
 */
function isVerbStem(word: string, next: string | undefined, after: string | undefined): boolean {
  if (!/^[\p{Script=Han}]$/u.test(word) || next === undefined || !/^\p{Script=Hiragana}/u.test(next)) return false;
  if (!PARTICLES.test(next)) return true;
  // って and か are also a verb's te-form and negative when an auxiliary follows: 売|って|る,
  // 貼|って|もらえる, 湧|か|ない (but 猫|って|何, 県|って|なに, 市|か|町 are nouns with particles)
  if (after === undefined) return false;
  return (next === 'って' && TE_FORM_AUXILIARY.test(after)) || (next === 'か' && NEGATIVE_AUXILIARY.test(after));
}

/**
 * Character bigrams of each Japanese or alphanumeric run. A run of one character yields itself, so
 * that 「県」 or 「Q6」-like short tokens still match. Latin words are kept whole.
 */
export function bigramTokens(text: string): string[] {
  const out: string[] = [];
  const norm = toKatakana(normalizeForMatch(text)).replace(FINAL_LONG_VOWEL, '');
  for (const match of norm.matchAll(JAPANESE_RUN)) {
    const run = match[0];
    if (/^[a-z0-9]+$/.test(run)) {
      if (!ENGLISH_STOPWORDS.has(run)) out.push(run);
      continue;
    }
    const chars = [...run];
    if (chars.length === 1) {
      out.push(chars[0]!);
      continue;
    }
    for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  }
  return out;
}

/** The words of a text, in the three views the search uses, from one pass of the segmenter. */
export interface TextWords {
  /** Dictionary words (normalised, stopwords removed), with numbers and their counters. */
  words: string[];
  /**
   * Nouns, approximately: words written only in kanji, katakana, Latin letters or digits. Words
   * with hiragana in them are verbs, adjectives or function words (組む, ちゃんと); the
   * out-of-scope decision looks at nouns only, because a casual verb the documents never use
   * says nothing about whether the topic is covered.
   */
  nouns: string[];
  /** One-kanji stems of inflected verbs and adjectives (組|めば, 変|えられる), katakana-folded. */
  stems: Set<string>;
  /**
   * Words of kanji with okurigana that end like a noun made from a verb (手引き, 見守り, 取り組み,
   * 話し合い, 立ち上げ), katakana-folded. They may be nouns or verb forms; the out-of-scope
   * decision counts those the documents use as known nouns.
   */
  okurigana: string[];
}

/** Kanji with okurigana ending in an i- or e-row kana: the shape of 手引き, 見守り, 立ち上げ. */
const OKURIGANA_NOUN = /^[\p{Script=Han}々][\p{Script=Han}々\p{Script=Hiragana}]*[いきしちにひみりぎじびけげせてねめれべ]$/u;

const NOUN_CHARS = /^[\p{Script=Han}\p{Script=Katakana}ー々ヶa-z0-9.\-]+$/u;

export function textWords(text: string): TextWords {
  const words: string[] = [];
  const nouns: string[] = [];
  const stems = new Set<string>();
  const okurigana: string[] = [];
  const norm = normalizeForMatch(text);
  for (const m of norm.matchAll(NUMBER_WITH_COUNTER)) words.push(m[0]);
  for (const sentence of splitSentences(norm)) {
    const segs = segments(sentence);
    segs.forEach((seg, i) => {
      if (!seg.isWordLike) return;
      const word = seg.segment.replace(/'s$/, '');
      if (STOPWORDS.has(word) || ENGLISH_STOPWORDS.has(word)) return;
      const stem = isVerbStem(word, segs[i + 1]?.segment, segs[i + 2]?.segment);
      if (stem) stems.add(toKatakana(word));
      // hiragana-only words of one character are particles the stopwords missed
      if (!(word.length === 1 && !HAS_KANJI_OR_KATAKANA.test(word) && !/[a-z0-9]/.test(word))) words.push(englishStem(withoutFinalLongVowel(toKatakana(word))));
      if (!stem && NOUN_CHARS.test(word) && !/^[0-9.\-]+$/.test(word)) nouns.push(englishStem(withoutFinalLongVowel(word)));
      else if (OKURIGANA_NOUN.test(word)) okurigana.push(toKatakana(word));
    });
  }
  return { words, nouns, stems, okurigana };
}

/** One word as the index writes it (normalised, katakana-folded, long vowel folded), without segmenting. */
export function normalizeWord(word: string): string {
  return englishStem(withoutFinalLongVowel(toKatakana(normalizeForMatch(word))));
}

/** Dictionary words (see TextWords.words): what the index holds for a passage. */
export function wordTokens(text: string): string[] {
  return textWords(text).words;
}

/** Nouns (see TextWords.nouns). */
export function nounTokens(text: string): string[] {
  return textWords(text).nouns;
}
