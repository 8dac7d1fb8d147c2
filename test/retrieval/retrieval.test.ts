import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { squash } from '../../src/knowledge/normalize.js';
import { bigramTokens, nounTokens, wordTokens } from '../../src/retrieval/tokenize.js';
import { explicitRefs } from '../../src/retrieval/structure.js';
import { QueryAnalyzer } from '../../src/retrieval/analyze.js';
import { LexicalIndex } from '../../src/retrieval/lexical.js';
import { SentenceIndex } from '../../src/retrieval/proximity.js';
import { GlossaryExpander } from '../../src/retrieval/glossary.js';
import { DEFAULT_WEIGHTS, SIGNALS, weightsFromSpec } from '../../src/retrieval/ranking/weights.js';
import { testApp, type TestApp } from '../helpers/app.js';

let app: TestApp;
beforeAll(async () => {
  app = await testApp();
});
afterAll(() => app.dispose());

async function citations(q: string): Promise<string[]> {
  return (await app.assistant.ask(q)).citations.map((c) => squash(c.text));
}
const has = (texts: string[], phrase: string, within = 5): boolean => texts.slice(0, within).some((t) => t.includes(squash(phrase)));

// Representative questions per kind, written for these tests (none is an evaluation question): each
// asks in everyday words what one passage says, and that passage must come first or near it.
describe('ranking regression: one question per kind, in the words users type', () => {
  const cases: { kind: string; q: string; phrase: string; within: number }[] = [
    { kind: 'Q&A', q: '役所のほかの課に企業を紹介してもらうには、どう頼めばいい？', phrase: '庁内他部署の役割と向き合い', within: 3 },
    { kind: 'step', q: '最初の段階でやっておく準備って具体的になに？', phrase: 'ステップ1', within: 3 },
    { kind: 'function', q: '県でまとめる企業の一覧、どんな項目を載せればいい？', phrase: '多様な主体リスト', within: 3 },
    { kind: 'case', q: '沖縄の集まりには会社が何社くらい来てた？', phrase: '40社が参加した', within: 2 },
    { kind: 'case', q: '行田でドラッグストアがやってる移動販売の車の名前は？', phrase: 'うえたん号', within: 3 },
    { kind: 'checklist', q: '市町村に配る状況確認のひな型って何を聞いてる？', phrase: 'チェックリスト', within: 3 },
    { kind: 'concept', q: 'そもそも県がこういう仕組みを作る意味ってあるの？', phrase: 'プラットフォーム', within: 3 },
  ];
  for (const c of cases) {
    it(`${c.kind}: 「${c.q}」`, async () => {
      const r = await app.assistant.ask(c.q);
      expect(r.outOfScope).toBe(false);
      expect(has(r.citations.map((x) => squash(x.text)), c.phrase, c.within)).toBe(true);
    });
  }

  it('reads a mistyped kanji compound that the segmenter cut into pieces as the word one character away', async () => {
    // 伴送支援 (走 → 送) is segmented 伴 / 送 / 支援; the kanji run is corrected as a whole
    const r = await app.assistant.ask('伴送支援って誰に頼むのがいいの？');
    expect(r.outOfScope).toBe(false);
    expect(r.hits[0]!.passage.text).toContain('伴走支援');
  });

  it('reads a katakana name one keystroke off as the name the documents write', async () => {
    // パ for バ, and a last kana the IME left unconverted (ワーキンぐ: the segmenter keeps ワーキン)
    const swapped = await app.assistant.index.search.search('ツドレパってどんな取組？', 5);
    expect(swapped.analyzed.related.get('ツドレパ')).toEqual([['ツドレバ']]);
    expect(swapped.analyzed.foreignNouns).not.toContain('ツドレパ');
    const cut = await app.assistant.ask('気づきワーキンぐには誰が参加した？');
    expect(cut.outOfScope).toBe(false);
    expect(cut.hits.slice(0, 3).some((h) => h.passage.text.includes('気づきワーキング'))).toBe(true);
  });

  it('follows explicit references to the handbook\'s structure', async () => {
    expect(has(await citations('ステップ2-2ってなにするとこ？'), '施策を立案・実施', 2)).toBe(true);
    expect(has(await citations('Q12には何が書いてある？'), '総合事業を含む地域支援事業は地域の実情に応じてデザインできる', 2)).toBe(true);
    const refs = explicitRefs('ステップ2-2とQ6とP.16');
    expect([refs.steps.has('2-2'), refs.faq.has('Q6'), refs.pages.has(16)]).toEqual([true, true, true]);
    // a kind named in the question's words: 座談会 the round-table, 通知 the ministry's notice
    expect([...explicitRefs('座談会で委員は何て言ってた？').kinds]).toEqual(['roundtable']);
    expect([...explicitRefs('国からの通知には何が書いてある？').kinds]).toEqual(['notice']);
  });

  it('answers a question in English from the Japanese documents', async () => {
    const r = await app.assistant.ask('What is the mobile shop run by the drugstore in Gyoda called?');
    expect(r.outOfScope).toBe(false);
    expect(has(r.citations.map((c) => squash(c.text)), 'うえたん号', 5)).toBe(true);
  });

  it('cites at most five distinct passages of at most 600 characters, each with its document and page', async () => {
    const r = await app.assistant.ask('企業のリストってどうやって作るの？');
    expect(r.citations.length).toBeGreaterThan(0);
    expect(r.citations.length).toBeLessThanOrEqual(5);
    expect(new Set(r.citations.map((c) => c.passageId)).size).toBe(r.citations.length);
    for (const c of r.citations) {
      expect(c.text.length).toBeLessThanOrEqual(600);
      expect(c.source).toMatch(/^00\d_[0-9a-f]+\.txt$/);
      if (c.source.startsWith('000_')) expect(c.page).toBeTypeOf('number');
    }
  });
});

describe('the declared ranking', () => {
  it('takes weight changes from a --set option, and refuses a name or value it cannot read', () => {
    expect(weightsFromSpec('dense=0,prior=0.5')).toEqual({ ...DEFAULT_WEIGHTS, dense: 0, prior: 0.5 });
    expect(weightsFromSpec(undefined)).toEqual(DEFAULT_WEIGHTS);
    expect(() => weightsFromSpec('denser=1')).toThrow(/--set の「denser=1」が読めません/);
    expect(() => weightsFromSpec('dense=x')).toThrow(/読めません/);
  });

  it('scores every candidate on the declared signals and fuses them as the weighted sum the header says', async () => {
    const r = await app.assistant.index.search.search('移動販売の事例を知りたい', 5);
    const top = r.hits[0]!;
    expect(Object.keys(top.signals).sort()).toEqual([...SIGNALS].sort());
    for (const name of SIGNALS) expect(top.signals[name]).toBeGreaterThanOrEqual(-0.5);
    const fused = SIGNALS.reduce((s, n) => s + DEFAULT_WEIGHTS[n] * top.signals[n], 0);
    // the within-section stage only ever lifts a passage towards its section's best
    expect(top.score).toBeGreaterThanOrEqual(fused - 1e-9);
  });

  it('changes the order when the caller changes the weights (the ablation relies on it)', async () => {
    const search = app.assistant.index.search;
    const q = '会社に参加してもらうイベント、どう声をかける？';
    const normal = (await search.search(q, 5)).hits.map((h) => h.passage.id);
    const onlyText = (await search.search(q, 5, { weights: { ...Object.fromEntries(Object.keys(DEFAULT_WEIGHTS).map((k) => [k, 0])), text: 1 } as typeof DEFAULT_WEIGHTS })).hits.map((h) => h.passage.id);
    expect(onlyText).not.toEqual(normal);
  });

  it('ranks the same candidates again under other weights exactly as a search with those weights (the pseudo-query fit relies on it)', async () => {
    const search = app.assistant.index.search;
    const q = '会社に参加してもらうイベント、どう声をかける？';
    const { candidates } = await search.candidates(q);
    const onlyText = { ...Object.fromEntries(Object.keys(DEFAULT_WEIGHTS).map((k) => [k, 0])), text: 1, dense: 1e-9 } as typeof DEFAULT_WEIGHTS;
    for (const weights of [DEFAULT_WEIGHTS, onlyText]) {
      const searched = (await search.search(q, 5, { weights })).hits.map((h) => h.passage.id);
      const reranked = search.rank(candidates, weights).slice(0, 5).map((c) => search.passages[c.index]!.id);
      expect(reranked).toEqual(searched);
    }
  });
});

describe('glossary matching', () => {
  /** What a glossary of these groups matches in a question (the term found, per group). */
  const matcher = (groups: { kind: 'abbreviation' | 'variant'; terms: string[] }[]) => {
    const glossary = new GlossaryExpander({ note: '', groups });
    return (q: string): string[] => glossary.matches(q).map((m) => m.matched);
  };

  it('matches an expression with or without its object particle, and a verb in any of its forms', () => {
    const matched = matcher([
      { kind: 'variant', terms: ['声かけ', '声掛け'] },
      { kind: 'variant', terms: ['連携', '組む'] },
    ]);
    expect(matched('企業に声をかけるとき、何を伝える？')).toEqual(['声かけ']);
    expect(matched('山奥の町だと誰と組めばいい？')).toEqual(['組む']);
    expect(matched('今回は組織の話')).toEqual([]);
  });
});

describe('Japanese tokenisation', () => {
  it('keeps numbers with their counters and re-joins split katakana', () => {
    expect(wordTokens('令和7年度の2回目に40社')).toEqual(expect.arrayContaining(['令和7年度', '2回目', '40社']));
    expect(wordTokens('接点ゼロ')).toContain('ゼロ');
    expect(bigramTokens('見守り')).toEqual(['見守', '守リ']);
  });

  it('treats a long katakana word with and without its final long-vowel mark as one word', () => {
    expect(wordTokens('生活支援コーディネータ')).toEqual(wordTokens('生活支援コーディネーター'));
    expect(wordTokens('コピー')).toEqual(['コピー']);
    expect(nounTokens('アドバイザーは誰？')).toEqual(wordTokens('アドバイザー'));
  });

  it('does not count the stem of a verb cut off its okurigana as a noun (変|えられる), but keeps nouns before particles', () => {
    const nouns = nounTokens('総合事業って市町村の事情に合わせて変えられるの？');
    expect(nouns).toEqual(expect.arrayContaining(['総合', '事業', '市町村', '事情']));
    expect(nouns).not.toContain('変');
  });

  it('reads a kanji before the te-form って or the negative か as a verb when an auxiliary follows, and as a noun before a question', () => {
    for (const [text, stem] of [['移動販売車で日用品も売ってる？', '売'], ['資料に地図を貼ってもらえる？', '貼'], ['組む相手のイメージが湧かない', '湧']] as const) {
      expect(nounTokens(text), text).not.toContain(stem);
    }
    expect(nounTokens('猫って何？')).toContain('猫');
    expect(nounTokens('県ってなにするの？')).toContain('県');
  });

  it('reads an English word by its stem, so plurals and verb forms meet their base form, and leaves short names alone', () => {
    expect(wordTokens('organizations supporting municipalities')).toEqual(wordTokens('organization support municipality'));
    expect(nounTokens('trainings')).toEqual(nounTokens('training'));
    expect(wordTokens('SC and NPO')).toEqual(['sc', 'npo']);
  });
});

describe('sentence proximity', () => {
  // the same words, once in one sentence and once spread over three
  const bodies = [
    '都道府県には市町村と多様な主体をつなげる役割を期待している。ほかの話題もある。',
    '都道府県の会議を開いた。市町村の話を聞いた。多様な主体の役割を整理した。期待が高い。',
    '移動販売の車が週に一度来る。',
  ];
  const lexical = LexicalIndex.build(bodies);
  const analyzer = new QueryAnalyzer(lexical, new GlossaryExpander({ note: '', groups: [] }));
  const sentences = SentenceIndex.build(bodies);
  const best = (q: string, doc: number, index = sentences): number => index.best(doc, lexical.coverageMeasure(analyzer.analyze(q)));

  it('scores the passage that says the question in one sentence above the one that scatters it', () => {
    const q = '市町村は都道府県につなげる役割を期待している？';
    expect(lexical.coverage(analyzer.analyze(q), 1)).toBeGreaterThan(0.5);
    expect(best(q, 0)).toBeGreaterThan(0.9);
    expect(best(q, 1)).toBeLessThan(0.5);
    expect(best(q, 2)).toBe(0);
  });

  it('survives its snapshot unchanged (the index is saved with it)', () => {
    const copy = SentenceIndex.fromSnapshot(JSON.parse(JSON.stringify(sentences.snapshot())));
    for (const doc of [0, 1, 2]) expect(best('多様な主体の役割', doc, copy)).toBe(best('多様な主体の役割', doc));
    expect(best('多様な主体の役割', 99)).toBe(0);
  });
});
