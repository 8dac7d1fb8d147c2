import { cpSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, PROJECT_ROOT } from '../../src/config.js';
import { KnowledgeError } from '../../src/knowledge/errors.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { buildIndex, denseTexts, openIndex, rebuildReason, REBUILD_REASONS, TOKENIZER_FINGERPRINT } from '../../src/retrieval/index-store.js';
import { answeredBy } from '../../src/retrieval/calibration.js';
import { searchablePassages } from '../../src/retrieval/search.js';
import { createAssistant } from '../../src/app.js';
import { dataDirWithIndex, tempDir } from '../helpers/app.js';

/** A copy of knowledge/ that a test may break. */
function knowledgeCopy(): string {
  const dir = tempDir();
  cpSync(join(PROJECT_ROOT, 'knowledge'), join(dir, 'knowledge'), { recursive: true });
  return join(dir, 'knowledge');
}

// these tests build whole indexes: about 30 s each on an idle machine (bench/), more while other
// test files run on the same two cores. Where a test needs an index of the project's knowledge as
// it is, it starts from the run's prebuilt one (global-setup) instead of building its own.
describe('ingest and the index on disk', { timeout: 300_000 }, () => {
  it('fails on a broken record with the file, the record and the reason', () => {
    const kdir = knowledgeCopy();
    const file = join(kdir, 'data', 'faq.json');
    const data = JSON.parse(readFileSync(file, 'utf8')) as { items: { keyPoints: string[] }[] };
    data.items[5]!.keyPoints[0] = '手引きに書かれていない文';
    writeFileSync(file, JSON.stringify(data));
    let error: unknown;
    try {
      loadKnowledge({ dir: kdir });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KnowledgeError);
    expect(error).toMatchObject({ file: 'faq.json', record: 'Q6' });
    expect((error as KnowledgeError).reason).toContain('本文に見つかりません');

    const cases = JSON.parse(readFileSync(join(kdir, 'data', 'cases.json'), 'utf8')) as { items: { sectionId: string }[] };
    cases.items[0]!.sectionId = 'no-such-section';
    writeFileSync(join(kdir, 'data', 'cases.json'), JSON.stringify(cases));
    writeFileSync(file, readFileSync(join(PROJECT_ROOT, 'knowledge', 'data', 'faq.json')));
    expect(() => loadKnowledge({ dir: kdir })).toThrow(/cases\.json › case-hyogo-1: セクション「no-such-section」/);
  });

  it('counts the calibration questions as knowledge: a new one changes the content hash (and so rebuilds and refits at start)', () => {
    const kdir = knowledgeCopy();
    const before = loadKnowledge({ dir: kdir }).contentHash;
    const file = join(kdir, 'calibration', 'out-of-scope.jsonl');
    writeFileSync(file, `${readFileSync(file, 'utf8')}${JSON.stringify({ id: 'z001', question: 'プリンターの紙詰まりの直し方は？', type: 'off_topic' })}\n`);
    expect(loadKnowledge({ dir: kdir }).contentHash).not.toBe(before);
  });

  it('keeps serving the previous index when the knowledge no longer validates', async () => {
    const kdir = knowledgeCopy();
    // the run's prebuilt index is this knowledge's: opening it builds nothing
    const data = dataDirWithIndex();
    const config = { ...loadConfig({ DATA_DIR: data }, data), knowledgeDir: kdir };
    const first = await openIndex(config);
    expect(first.stale).toBe(false);
    writeFileSync(join(kdir, 'data', 'steps.json'), '{ not json');
    const second = await openIndex(config);
    expect(second.stale).toBe(true);
    expect(second.manifest.contentHash).toBe(first.manifest.contentHash);
    expect((await second.search.search('ツドレバ', 1)).hits[0]!.passage.text).toContain('ツドレバ');
  });

  it('does not rebuild a fresh index on start, and rebuilds when the knowledge changes', async () => {
    const kdir = knowledgeCopy();
    const data = dataDirWithIndex();
    const config = { ...loadConfig({ DATA_DIR: data }, data), knowledgeDir: kdir };
    const built = await openIndex(config);
    const again = await openIndex(config);
    expect(again.manifest.createdAt).toBe(built.manifest.createdAt);
    const glossary = join(kdir, 'data', 'glossary.json');
    writeFileSync(glossary, readFileSync(glossary, 'utf8').replace('"くんねっぷ"', '"くんねっぷ", "くんねっぷちょう"'));
    const rebuilt = await openIndex(config);
    expect(rebuilt.manifest.contentHash).not.toBe(built.manifest.contentHash);
    expect(rebuilt.manifest.createdAt).not.toBe(built.manifest.createdAt);
  });

  it('says why a saved index must be rebuilt: missing, other knowledge, other tokenisers, another embedder', () => {
    const saved = { contentHash: 'abc', tokenizer: TOKENIZER_FINGERPRINT, embedder: 'lsa-v1-128d-12736t' };
    expect(rebuildReason(saved, 'abc', 'lsa')).toBeNull();
    expect(rebuildReason(null, 'abc', 'lsa')).toBe(REBUILD_REASONS.missing);
    expect(rebuildReason(saved, 'abd', 'lsa')).toBe(REBUILD_REASONS.knowledge);
    // an index whose terms were cut by another version of the tokenisers
    expect(rebuildReason({ ...saved, tokenizer: 'an-older-tokenizer' }, 'abc', 'lsa')).toBe(REBUILD_REASONS.tokenizer);
    expect(rebuildReason(saved, 'abc', 'openai:text-embedding-3-small')).toBe(REBUILD_REASONS.embedder);
    expect(rebuildReason({ ...saved, embedder: 'openai:text-embedding-3-small' }, 'abc', 'lsa')).toBe(REBUILD_REASONS.embedder);
  });

  it('indexes and cites a prefecture\'s own document added as Markdown with a header, with no code change', async () => {
    const local = tempDir();
    writeFileSync(
      join(local, 'jirei.md'),
      ['---', 'id: test-pref-cases', 'title: テスト県 生活支援の取組事例集', 'publisher: テスト県 福祉部', 'date: 令和8年4月', '---', '', '# みどり町の買い物送迎', '', 'みどり町では、地元のスーパーと社会福祉協議会が協力し、毎週水曜日に買い物送迎バスを運行している。利用者は月に延べ120人。', ''].join('\n'),
    );
    const data = tempDir();
    const config = loadConfig({ DATA_DIR: data, LOCAL_KNOWLEDGE_DIR: local }, data);
    const assistant = await createAssistant(config);
    const r = await assistant.ask('みどり町の買い物送迎バスは週に何回？');
    expect(r.citations[0]).toMatchObject({ source: 'jirei.md', document: 'テスト県 生活支援の取組事例集', page: null });
    expect(r.text).toContain('毎週水曜日');
    // its sentences stand in for question variants, for the variant field and the question classifier alike
    expect((await assistant.index.search.search('みどり町の送迎バスのこと', 3)).hits[0]!.signals).toMatchObject({ learned: 1 });
    writeFileSync(join(local, 'broken.txt'), 'ヘッダーのない文書');
    expect(() => loadKnowledge({ dir: join(PROJECT_ROOT, 'knowledge'), localDirs: [local] })).toThrow(/broken\.txt › header/);
  });

  it('builds into a temporary folder and swaps it in whole', async () => {
    const data = tempDir();
    const config = loadConfig({ DATA_DIR: data }, data);
    const kb = loadKnowledge({ dir: config.knowledgeDir });
    // how long it takes is measured by bench/ (npm run bench -- retrieval), not asserted here
    const index = await buildIndex(kb, config);
    expect(index.manifest.passages).toBeGreaterThan(150);
    expect(readFileSync(join(data, 'index', 'manifest.json'), 'utf8')).toContain(kb.contentHash);
    rmSync(data, { recursive: true, force: true });
    mkdirSync(data);
  });
});

describe('what the dense half embeds', () => {
  it('joins each passage\'s answerable questions to its text and variants, and ignores one for no passage', () => {
    const kb = loadKnowledge({ dir: join(PROJECT_ROOT, 'knowledge') });
    const passages = searchablePassages(kb);
    const [first, second] = [passages[0]!, passages[1]!];
    const texts = denseTexts(kb, [
      { passage: first.id, question: '例の質問その一' },
      { passage: 'handbook:no-such-passage:1', question: '行き先のない質問' },
    ]);
    expect(texts).toHaveLength(passages.length);
    expect(texts[0]).toContain(first.text);
    expect(texts[0]).toContain('例の質問その一');
    for (const v of kb.questions[first.id] ?? []) expect(texts[0]).toContain(v);
    expect(texts[1]).toContain(second.text);
    expect(texts.join('\n')).not.toMatch(/例の質問その一[\s\S]*例の質問その一|行き先のない質問/);
  });

  it('finds the passages that answer a calibration question: the one an example names, those holding an in-scope question\'s gold phrase', () => {
    const passages = [
      { id: 'a', text: '市町村を訪問し、\n現状を把握する。' },
      { id: 'b', text: '企業に声をかける。市町村を訪問し、現状を把握する。' },
      { id: 'c', text: '関係のない文。' },
    ];
    const pairs = answeredBy(
      {
        answerableExamples: [{ question: '例の質問', passage: 'c' }, { question: '行き先のない例', passage: 'z' }, { question: 'パッセージのない例' }],
        // the gold phrase is compared without spaces and line breaks, in NFKC, as the evaluation compares it
        inScope: [{ question: '現場の様子は？', gold: ['市町村を訪問し、 現状を把握する'] }, { question: '答えの見つからない質問', gold: ['どこにもない文'] }],
        outOfScope: [{ question: '今日の天気は？' }],
      },
      passages,
    );
    expect(pairs).toEqual([
      { passage: 'c', question: '例の質問' },
      { passage: 'a', question: '現場の様子は？' },
      { passage: 'b', question: '現場の様子は？' },
    ]);
  });
});
