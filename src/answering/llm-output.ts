/**
 * What the model wrote, made honest before anyone sees it: citation markers renumbered to the
 * order of the source list shown, markers to passages not given removed, sentences without a
 * marker dropped (except a short lead), a refusal recognised, and two checks that send the offline
 * answer instead (the instructions echoed back; none of the passages' key terms used).
 */
import { nounTokens } from '../retrieval/tokenize.js';

/** A lead sentence without a marker is allowed up to this many characters. */
export const MAX_UNMARKED_LEAD = 60;

const MARKER = /[[［]\s*([0-9０-９]{1,3}(?:\s*[,，、]\s*[0-9０-９]{1,3})*)\s*[\]］]/g;

const toNumber = (s: string): number => Number(s.normalize('NFKC'));

export interface Renumbered {
  text: string;
  /** 0-based indexes of the given passages, in the order the text first cites them: source [n] is order[n-1]. */
  order: number[];
}

/**
 * Renumbers [n] markers (also ［n］ and [1, 3]) so that the first passage cited becomes [1], the
 * second [2] …; markers outside 1..given are removed. Sentences (split at 。 and line ends) that
 * carry no marker are dropped, except a first one of at most MAX_UNMARKED_LEAD characters.
 */
export function renumberCitations(raw: string, given: number): Renumbered {
  const order: number[] = [];
  const numberOf = (i: number): number => {
    if (!order.includes(i)) order.push(i);
    return order.indexOf(i) + 1;
  };
  const lines: string[] = [];
  let first = true;
  for (const paragraph of raw.split(/\n+/)) {
    const kept: string[] = [];
    // a marker after the 。 belongs to the sentence before it
    for (const sentence of paragraph.split(/(?<=。(?:\s*[[［][0-9０-９,，、\s]+[\]］])*)(?!\s*[[［][0-9０-９])/)) {
      if (!sentence.trim()) continue;
      let cited = false;
      const text = sentence.replace(MARKER, (_m, list: string) => {
        const ns = list
          .split(/[,，、]/)
          .map((x) => toNumber(x.trim()) - 1)
          .filter((i) => i >= 0 && i < given);
        if (!ns.length) return '';
        cited = true;
        return ns.map((i) => `[${numberOf(i)}]`).join('');
      });
      const plain = text.replace(/\s+$/, '');
      if (cited || (first && [...plain.trim()].length <= MAX_UNMARKED_LEAD)) kept.push(plain.trim());
      first = false;
    }
    if (kept.length) lines.push(kept.join(''));
  }
  return { text: lines.join('\n').replace(/[ \t]+(?=\[)/g, ' ').trim(), order };
}

/** The model's own 「資料には…記述がありません」 (the refusal the instructions ask for). */
export function isRefusal(text: string): boolean {
  return /資料(には|の中に|に).{0,25}(記述|記載|答え|情報).{0,12}(ありません|ない|見当たりません)/.test(text);
}

/**
 * Whether the text reproduces the instructions: any run of `window` characters of an instruction
 * line (other than the refusal sentence it may legitimately say) found in the text.
 */
export function echoesInstructions(text: string, instructions: string[], allowed: string[] = [], window = 16): boolean {
  const squash = (s: string): string => s.normalize('NFKC').replace(/\s+/g, '');
  const t = squash(text);
  for (const line of instructions.flatMap((i) => i.split('\n'))) {
    let l = squash(line).replace(/^\d+\./, '');
    for (const a of allowed) l = l.replace(squash(a), '\u0000');
    for (const part of l.split('\u0000')) {
      const chars = [...part];
      for (let i = 0; i + window <= chars.length; i++) if (t.includes(chars.slice(i, i + window).join(''))) return true;
    }
  }
  return false;
}

/**
 * Whether the text uses at least one key term of the passages: a noun of theirs that `isKey`
 * accepts (the caller passes "specific to a few passages", so 「市町村」 alone does not count).
 */
export function usesKeyTerms(text: string, passages: string[], isKey: (noun: string) => boolean): boolean {
  const keys = new Set(passages.flatMap((p) => nounTokens(p)).filter((n) => [...n].length >= 2 && isKey(n)));
  if (!keys.size) return true;
  return nounTokens(text.replace(MARKER, '')).some((n) => keys.has(n));
}
