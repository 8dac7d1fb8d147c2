/**
 * General Japanese vocabulary from a maintained dictionary: the synonym dictionary of SudachiDict
 * (npm sudachi-synonyms-dictionary, Apache-2.0; format in SudachiDict's docs/synonyms.md). Users
 * write ミーティング, 外注, 年寄り where the documents write 会議, 委託, 高齢者; a hand-written list
 * cannot keep up with that, a dictionary of ~26,000 groups can.
 *
 * The dictionary is 14 MB: it is compiled at ingest into the few hundred groups that reach the
 * corpus's vocabulary and saved with the index, so start-up reads only those. A query word is
 * expanded only when the documents never use it, and only into members they do use (expanding
 * words the documents already use, 地域 → 区域, only adds noise). SudachiDict's expandControl is
 * honoured: 1 = may be a target but never a trigger, 2 = never used.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { bigramTokens, normalizeWord, wordTokens } from './tokenize.js';

const PACKAGE = 'sudachi-synonyms-dictionary';

// only the fields compiled are kept: the other six of each of the 70,000 items would double the
// parsed dictionary's memory while the index is built
const ItemSchema = z.object({ expandControl: z.union([z.literal(0), z.literal(1), z.literal(2)]), midashi: z.string() });
const GroupSchema = z.object({ id: z.string(), items: z.array(ItemSchema) });

/** A compiled group: what may trigger an expansion, and the members the documents use. */
export interface SynonymGroup {
  /** Word keys (as the tokeniser writes a single word) that trigger the group. */
  triggers: string[];
  /** Members the corpus uses, each as the word tokens it is indexed as. */
  targets: string[][];
}

export interface SynonymSnapshot {
  /** Package and version the groups were compiled from (part of the index fingerprint). */
  source: string;
  groups: SynonymGroup[];
}

function packageDir(): string {
  // the package's exports map names only its entry point: locate the folder through it
  return dirname(createRequire(import.meta.url).resolve(PACKAGE));
}

/** The dictionary's package and version, e.g. sudachi-synonyms-dictionary@18.0.0. */
export function synonymSource(): string {
  const pkg = z.object({ version: z.string() }).parse(JSON.parse(readFileSync(join(packageDir(), 'package.json'), 'utf8')));
  return `${PACKAGE}@${pkg.version}`;
}

/**
 * Compiles the dictionary against the corpus: keeps the groups with at least one member whose
 * words the corpus uses (`known`) and at least one other member that may trigger. Runs at ingest.
 */
export function compileSynonyms(known: (word: string) => boolean, inCorpus: (bigram: string) => boolean = () => true): SynonymSnapshot {
  const raw = z.array(z.unknown()).parse(JSON.parse(readFileSync(join(packageDir(), `${PACKAGE}.json`), 'utf8')));
  const groups: SynonymGroup[] = [];
  // validated group by group, so that the validated copies do not all live at once
  for (const entry of raw) {
    const g = GroupSchema.parse(entry);
    const usable = g.items.filter((i) => i.expandControl !== 2);
    // segmenting 70,000 headwords takes seconds: only a member whose every character bigram occurs
    // in the corpus can be made of the corpus's words, and that look-up needs no segmenter
    if (!usable.some((i) => known(normalizeWord(i.midashi)) || bigramTokens(i.midashi).every(inCorpus))) continue;
    const items = usable.map((i) => ({ tokens: wordTokens(i.midashi), trigger: i.expandControl === 0 }));
    const targets = items.filter((i) => i.tokens.length > 0 && i.tokens.every(known)).map((i) => i.tokens);
    if (!targets.length) continue;
    // a trigger is a single word: that is how it shows up among a question's words
    const triggers = [...new Set(items.filter((i) => i.trigger && i.tokens.length === 1).map((i) => i.tokens[0]!))];
    const uniqueTargets = [...new Map(targets.map((t) => [t.join(' '), t])).values()];
    if (!triggers.some((t) => !uniqueTargets.some((x) => x.length === 1 && x[0] === t))) continue;
    groups.push({ triggers, targets: uniqueTargets });
  }
  return { source: synonymSource(), groups };
}

/** Looks up the compiled groups by trigger word. */
export class SynonymDictionary {
  private readonly byTrigger = new Map<string, string[][]>();

  constructor(readonly snapshot: SynonymSnapshot) {
    for (const g of snapshot.groups) {
      for (const t of g.triggers) {
        const list = this.byTrigger.get(t) ?? [];
        for (const target of g.targets) if (!(target.length === 1 && target[0] === t)) list.push(target);
        this.byTrigger.set(t, list);
      }
    }
  }

  /** Whether the dictionary relates the word to the corpus at all (general vocabulary, not foreign). */
  knows(word: string): boolean {
    return this.byTrigger.has(word);
  }

  /** The corpus's words for a word, each alternative as the tokens all of which stand for it. */
  expand(word: string): string[][] {
    return this.byTrigger.get(word) ?? [];
  }
}
