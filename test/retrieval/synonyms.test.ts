import { describe, expect, it } from 'vitest';
import { QueryAnalyzer } from '../../src/retrieval/analyze.js';
import { GlossaryExpander } from '../../src/retrieval/glossary.js';
import { LexicalIndex } from '../../src/retrieval/lexical.js';
import { compileSynonyms, SynonymDictionary, synonymSource } from '../../src/retrieval/synonyms.js';

// three tiny passages in the documents' own words
const passages = ['月に一度の会議で市町村と情報を共有する。', 'アドバイザーの業務を社会福祉協議会に委託する。', '高齢者の買物を支える移動販売。'];
const text = LexicalIndex.build(passages);
const snapshot = compileSynonyms((w) => text.words.has(w), (g) => text.bigrams.has(g));
const synonyms = new SynonymDictionary(snapshot);
const analyzer = new QueryAnalyzer(text, new GlossaryExpander({ note: '', groups: [] }), synonyms);
const best = (q: string): number => [...text.score(analyzer.analyze(q))].sort((a, b) => b[1] - a[1])[0]?.[0] ?? -1;

describe('SudachiDict synonyms, compiled against the corpus', () => {
  it('is read from the installed package (no network) and records its version for the index fingerprint', () => {
    expect(synonymSource()).toMatch(/^sudachi-synonyms-dictionary@\d+\.\d+\.\d+$/);
    expect(snapshot.source).toBe(synonymSource());
  });

  it('keeps only the groups that reach the corpus\'s words', () => {
    expect(snapshot.groups.length).toBeGreaterThan(0);
    expect(snapshot.groups.length).toBeLessThan(100);
    for (const g of snapshot.groups) for (const t of g.targets) expect(t.every((w) => text.words.has(w))).toBe(true);
  });

  it('finds a passage from a question that uses only dictionary synonyms of its words', () => {
    expect(best('ミーティングで何を話す？')).toBe(0);
    expect(best('外注していいの？')).toBe(1);
    expect(best('年寄りの暮らし')).toBe(2);
  });

  it('expands only words the documents never use, at less than a typed word\'s weight', () => {
    const a = analyzer.analyze('ミーティング');
    expect(a.words.get('会議')).toBeLessThan(1);
    // 会議 is the documents' own word: it is searched as typed, not expanded into ミーティング
    expect([...analyzer.analyze('会議').words.keys()]).toEqual(['会議']);
  });

  it('treats general vocabulary it relates to the corpus as not foreign, and an English word nothing of the domain uses as foreign', () => {
    expect(analyzer.analyze('ミーティングのやり方').foreignNouns).toEqual([]);
    expect(analyzer.analyze('What is the weather like?').foreignNouns).toContain('weather');
    // the words of the question variants, English ones too, are the domain's own vocabulary
    const withVariants = new QueryAnalyzer(text, new GlossaryExpander({ note: '', groups: [] }), synonyms, LexicalIndex.build(['How do we get local companies on board?']));
    expect(withVariants.analyze('Which companies are on board?').foreignNouns).toEqual([]);
    const foreign = withVariants.analyze('Which companies sell umbrellas?').foreignNouns;
    expect(foreign).toContain('umbrella');
    expect(foreign).not.toContain('compani');
  });
});
