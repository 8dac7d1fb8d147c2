/**
 * The generated-answer path through the real @langchain/openai client against the loopback fake:
 * citations renumbered to the source list, refusals mapped to the scope outcomes, the reranked top
 * five cited, the output check, the one deadline per question, the circuit breaker and the
 * start-up check. The index is the shared offline one (EMBEDDINGS=offline): only the chat model is
 * remote here; openai.test.ts covers remote embeddings.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Assistant } from '../../src/answering/assistant.js';
import { answerToText, composeAnswer, composeOutOfScope, GENERATED_LABEL } from '../../src/answering/compose.js';
import { SYSTEM_PROMPT } from '../../src/answering/llm.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createAssistant } from '../../src/app.js';
import { wrapLine } from '../../adapters/terminal/width.js';
import { renderReply } from '../../adapters/terminal/render.js';
import { answerReply } from '../../src/answering/answer-reply.js';
import { dataDirWithIndex } from '../helpers/app.js';
import { FakeOpenAI } from '../fakes/openai-api.js';

/** The budget of the deadline tests; the others get a roomy one (the machine may be loaded). */
const BUDGET = 1000;
const ROOMY = 8000;
const QUESTION = 'ツドレバって何社参加した？';
let fake: FakeOpenAI;
let dir: string;

function logSink(): { logs: string[]; logger: ReturnType<typeof createLogger> } {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  return { logs, logger: createLogger('info', sink) };
}

function env(budget: number): Record<string, string> {
  return { DATA_DIR: dir, OPENAI_API_KEY: 'sk-test-key', OPENAI_BASE_URL: fake.baseUrl, OPENAI_MODEL: 'fake-chat', EMBEDDINGS: 'offline', LLM_TIMEOUT_MS: String(budget) };
}

async function assistant(breaker?: { failuresToOpen?: number; cooldownMs?: number }, budget = ROOMY): Promise<{ assistant: Assistant; logs: string[] }> {
  const { logs, logger } = logSink();
  return { assistant: await createAssistant(loadConfig(env(budget), dir), logger, undefined, undefined, breaker ? { breaker } : {}), logs };
}

/** The first sentence of a passage's body with at least 10 characters, without its 。. */
const sentenceOf = (text: string): string => text.split(/[。\n]/).find((l) => l.length >= 10)!;

let shared: Assistant;
let offline: Assistant;

beforeAll(async () => {
  fake = new FakeOpenAI();
  await fake.start();
  dir = dataDirWithIndex();
  shared = (await assistant()).assistant;
  offline = new Assistant(shared.index);
});
afterAll(async () => {
  await fake.stop();
});
beforeEach(() => {
  fake.mode = 'ok';
  fake.rerankMode = 'keep';
  fake.rerankOrder = undefined;
  fake.reply = undefined;
  fake.embeddingsMode = 'ok';
  fake.rewriteMode = 'ok';
});

describe('citations that are true', () => {
  it('renumbers markers to the order of the source list and removes markers to passages not given', async () => {
    fake.reply = (p) => `${sentenceOf(p[2]!.本文)}[3]。${sentenceOf(p[0]!.本文)} [1]。詳しくは別の資料を見てください[7]。`;
    const r = await shared.ask(QUESTION);
    expect(r.usedLlm).toBe(true);
    const given = r.hits.slice(0, 5);
    // the text's [1] is the first source shown, [2] the second
    expect(r.citations.slice(0, 2).map((c) => c.passageId)).toEqual([given[2]!.passage.id, given[0]!.passage.id]);
    expect(r.answer.generated).toEqual([`${sentenceOf(given[2]!.passage.text)}[1]。${sentenceOf(given[0]!.passage.text)} [2]。`]);
    // [7] pointed at nothing: gone, and so is its sentence (no marker left, not a lead)
    expect(r.text).not.toContain('[7]');
    expect(r.text).not.toContain('詳しくは別の資料');
    expect(r.citations.map((c) => c.passageId).sort()).toEqual(given.map((h) => h.passage.id).sort());
  });

  it('takes the heading from the passage the answer cites first, and shows the text as generated, not quoted', async () => {
    fake.reply = (p) => `${sentenceOf(p[1]!.本文)}。[2]`;
    const r = await shared.ask(QUESTION);
    expect(r.usedLlm).toBe(true);
    const cited = r.hits[1]!;
    expect(r.answer.heading).toBe(composeAnswer(shared.index.kb, QUESTION, [cited]).heading);
    const text = answerToText(r.answer);
    expect(text).toContain(`${GENERATED_LABEL}\n${sentenceOf(cited.passage.text)}。[1]`);
    expect(text.split('出典:')[0]).not.toContain(`「${sentenceOf(cited.passage.text)}`);
    expect(text).toMatch(/出典:\n\[1\] .*「.*」/);
  });

  it("maps the model's refusal to the scope decision's refuse outcome, with the offline texts", async () => {
    fake.mode = 'refuse';
    const r = await shared.ask('多様な主体へのアプローチ方法を知りたい');
    expect(r.usedLlm).toBe(true);
    expect(r.scope).toEqual({ kind: 'refuse', missing: [] });
    expect(r.outOfScope).toBe(true);
    expect(r.citations).toEqual([]);
    expect(r.answer).toEqual(composeOutOfScope(shared.index.kb, r.hits, []));
  });

  it("maps the model's refusal of a fact question to not stated, about the thing asked", async () => {
    fake.mode = 'refuse';
    const r = await shared.ask(QUESTION);
    expect(r.usedLlm).toBe(true);
    expect(r.scope).toEqual({ kind: 'not_stated', fact: 'count', entity: 'ツドレバ' });
    expect(r.outOfScope).toBe(true);
    expect(r.answer.heading).toBe('資料には「ツドレバ」の数の記載がありません');
    expect(r.citations.length).toBeGreaterThan(0);
    expect(r.citations.every((c) => /ツドレバ/.test(c.text))).toBe(true);
  });
});

describe('the model finds as well as writes', () => {
  it('reranks the top candidates in one call and answers from the reranked top five', async () => {
    const base = await offline.ask(QUESTION);
    fake.rerankOrder = [4, 2];
    const before = { reranks: fake.reranks.length, chats: fake.chats.length };
    const r = await shared.ask(QUESTION);
    expect(fake.reranks.length).toBe(before.reranks + 1);
    const sent = JSON.parse(fake.reranks.at(-1)!.messages[1]!.content.replace(/^[^\n]*\n/, '')) as { 番号: number; 見出し: string }[];
    expect(sent.length).toBeGreaterThanOrEqual(8);
    expect(sent.length).toBeLessThanOrEqual(20);
    expect(sent.slice(0, 3).map((p) => p.番号)).toEqual([1, 2, 3]);
    expect(sent[0]!.見出し).toBe(base.hits[0]!.passage.sectionTitle);
    // the model's order first (4, 2), then the rest in the search's order
    expect(r.hits.slice(0, 4).map((h) => h.passage.id)).toEqual([3, 1, 0, 2].map((i) => base.hits[i]!.passage.id));
    expect(fake.chats.length).toBe(before.chats + 1);
    const given = JSON.parse(fake.chats.at(-1)!.messages[1]!.content.replace(/^[^\n]*\n/, '')) as { 本文: string }[];
    expect(given.map((p) => p.本文)).toEqual(r.hits.slice(0, 5).map((h) => h.passage.text));
    expect(r.citations[0]!.passageId).toBe(base.hits[3]!.passage.id);
  });

  // a follow-up that cannot stand alone (it points back with 「それに」): 「参加した企業の数は？」 names a topic of its own and starts fresh
  it('rewrites a follow-up into a standalone question before searching, and falls back to the offline way', async () => {
    const previous = { question: 'ツドレバってどんな取り組み？' };
    const before = fake.rewrites.length;
    const r = await shared.ask('それに参加した企業の数は？', { previous });
    expect(fake.rewrites.length).toBe(before + 1);
    expect(fake.rewrites.at(-1)!.messages[1]!.content).toContain(JSON.stringify('それに参加した企業の数は？'));
    expect(r.searchedFor).toBe('ツドレバってどんな取り組み？について、それに参加した企業の数は？');
    expect(r.usedLlm).toBe(true);
    fake.rewriteMode = 'garbage';
    const offlineWay = await shared.ask('それに参加した企業の数は？', { previous });
    expect(offlineWay.searchedFor).toBe('ツドレバってどんな取り組み？\nそれに参加した企業の数は？');
    fake.rewriteMode = 'ok';
  });

  it('does not rewrite a question with a topic of its own, even right after another', async () => {
    const previous = { question: 'ツドレバってどんな取り組み？' };
    const before = fake.rewrites.length;
    const r = await shared.ask('参加した企業の数は？', { previous });
    expect(fake.rewrites.length).toBe(before);
    expect(r.searchedFor).toBe('参加した企業の数は？');
  });

  it('keeps the search order when the rerank answer is unusable', async () => {
    const base = await offline.ask(QUESTION);
    fake.rerankMode = 'garbage';
    const r = await shared.ask(QUESTION);
    expect(r.hits.map((h) => h.passage.id)).toEqual(base.hits.map((h) => h.passage.id));
    expect(r.usedLlm).toBe(true);
  });
});

describe('output check', () => {
  it('replaces an answer that echoes the instructions with the offline answer (logged)', async () => {
    const { assistant: a, logs } = await assistant();
    fake.mode = 'echo';
    const r = await a.ask(QUESTION);
    const base = await offline.ask(QUESTION);
    expect(r.usedLlm).toBe(false);
    expect(r.text).toBe(base.text);
    for (const line of SYSTEM_PROMPT.split('\n')) expect(r.text).not.toContain(line.slice(3, 20));
    expect(logs.join('')).toContain('指示文を再現していました');
  });

  it('replaces an answer that uses none of the passages\u2019 key terms', async () => {
    const { assistant: a, logs } = await assistant();
    fake.mode = 'offtopic';
    const r = await a.ask(QUESTION);
    expect(r.usedLlm).toBe(false);
    expect(r.text).not.toContain('天気');
    expect(r.text).toContain('40社');
    expect(logs.join('')).toContain('重要な語を含んでいませんでした');
  });
});

describe('one deadline per question', () => {
  for (const what of ['chat', 'rerank'] as const) {
    it(`returns the offline answer within the budget when the ${what} call hangs`, async () => {
      const { assistant: a } = await assistant(undefined, BUDGET);
      if (what === 'chat') fake.mode = 'timeout';
      else fake.rerankMode = 'hang';
      const chats = fake.chats.length;
      const started = Date.now();
      const r = await a.ask(QUESTION);
      const elapsed = Date.now() - started;
      expect(elapsed).toBeLessThan(BUDGET + 200);
      expect(r.usedLlm).toBe(false);
      expect(r.text).toContain('40社');
      // a hanging rerank spends the whole budget: the chat is never called
      if (what === 'rerank') expect(fake.chats.length).toBe(chats);
      expect(a.llmStatus()!.lastFailure?.kind).toBe('timeout');
    });
  }

  it('opens the circuit breaker after repeated failures, skips the network while open, and closes after a good answer', async () => {
    const { assistant: a, logs } = await assistant({ failuresToOpen: 2, cooldownMs: 400 });
    fake.mode = 'error500';
    await a.ask(QUESTION);
    await a.ask(QUESTION);
    expect(a.llmStatus()).toMatchObject({ breaker: 'open', consecutiveFailures: 2, lastFailure: { kind: 'http' } });
    const requests = fake.requests.length;
    const r = await a.ask(QUESTION);
    expect(fake.requests.length).toBe(requests);
    expect(r.usedLlm).toBe(false);
    expect(r.text).toContain('40社');
    const text = logs.join('');
    expect(text.match(/失敗が 2 回続いた/g)).toHaveLength(1);
    // one line per failure kind, with the host, and no stack trace
    expect(text.match(/エラー応答が返りました/g)).toHaveLength(1);
    expect(text).toContain(`"host":"127.0.0.1:${fake.port}"`);
    expect(text).not.toContain('"stack"');
    await new Promise((r) => setTimeout(r, 450));
    expect(a.llmStatus()!.breaker).toBe('half_open');
    fake.mode = 'ok';
    const again = await a.ask(QUESTION);
    expect(again.usedLlm).toBe(true);
    expect(a.llmStatus()).toMatchObject({ breaker: 'closed', consecutiveFailures: 0 });
  });
});

describe('start-up tells the truth', () => {
  it('with the endpoint down: keeps the index, says offline with the host, and answers without waiting', async () => {
    // a port nobody listens on
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const down = dataDirWithIndex();
    const manifest = readFileSync(join(down, 'index', 'manifest.json'), 'utf8');
    const { logs, logger } = logSink();
    // EMBEDDINGS=auto: the configured embedder is the unreachable one
    const config = loadConfig({ DATA_DIR: down, OPENAI_API_KEY: 'sk-test-key', OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1`, LLM_TIMEOUT_MS: String(BUDGET) }, down);
    const a = await createAssistant(config, logger);
    expect(a.answersLabel()).toBe(`offline (LLM unreachable: host 127.0.0.1:${port})`);
    expect(readFileSync(join(down, 'index', 'manifest.json'), 'utf8')).toBe(manifest);
    const text = logs.join('');
    expect(text).not.toContain('検索索引を作成します');
    expect(text).toContain('前回の索引をそのまま使います');
    expect(text.match(/"kind":"unreachable"/g)).toHaveLength(1);
    expect(text).toContain(`"host":"127.0.0.1:${port}"`);
    expect(text).not.toContain('"stack"');
    expect(a.llmStatus()).toMatchObject({ reachableAtStart: false, breaker: 'open' });
    const r = await a.ask(QUESTION);
    expect(r.usedLlm).toBe(false);
    expect(r.text).toContain('40社');
    // the breaker was open: no call was even tried
    expect(a.llmStatus()!.lastFailure).toBeNull();
  });

  it('with the endpoint up: says llm with the model after checking the models list', async () => {
    const before = fake.requests.filter((p) => p.endsWith('/models')).length;
    const { assistant: a } = await assistant();
    expect(fake.requests.filter((p) => p.endsWith('/models')).length).toBe(before + 1);
    expect(a.answersLabel()).toBe('llm:fake-chat');
  });
});

describe('rendering', () => {
  it('marks generated text and keeps the sources apart from the numbered actions in the terminal', async () => {
    const r = await shared.ask(QUESTION);
    expect(r.usedLlm).toBe(true);
    const { text } = renderReply(answerReply(r, 1, true), 200);
    const label = text.indexOf(GENERATED_LABEL);
    const sources = text.indexOf('出典:');
    const actions = text.indexOf('▼ 次にできること（出典ではありません）');
    expect(label).toBeGreaterThan(-1);
    expect(sources).toBeGreaterThan(label);
    expect(actions).toBeGreaterThan(sources);
    expect(text.slice(actions)).toMatch(/\[\d+\] 👍 役に立った/);
  });

  it('never wraps a citation marker across lines', () => {
    for (let n = 1; n < 12; n++) {
      const lines = wrapLine(`${'あ'.repeat(n)}これは資料の記述です[12]。続きの文です[3]。`, 24);
      expect(lines.join('\n')).toMatch(/\[12\]/);
      expect(lines.join('\n')).toMatch(/\[3\]/);
    }
  });
});
