/**
 * `npm run eval -- FILE --llm` against the loopback fake: the offline row, the model's row and the
 * gain, with the fake reranking so that the gold passage (second offline) comes first.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Assistant } from '../../src/answering/assistant.js';
import { loadConfig } from '../../src/config.js';
import { readIndex } from '../../src/retrieval/index-store.js';
import { dataDirWithIndex } from '../helpers/app.js';
import { spawnTs } from '../helpers/spawn.js';
import { FakeOpenAI } from '../fakes/openai-api.js';

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = new FakeOpenAI();
  await fake.start();
});
afterAll(async () => {
  await fake.stop();
});

function run(args: string[], env: Record<string, string>, cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnTs('bin/eval.ts', args, { cwd, env: { PATH: process.env.PATH ?? '', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += String(c)));
  child.stderr!.on('data', (c: Buffer) => (stderr += String(c)));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('npm run eval -- FILE --llm', { timeout: 120_000 }, () => {
  it('prints the offline and the model rows, and the rerank shows as a gain', async () => {
    const dir = dataDirWithIndex();
    const config = loadConfig({ DATA_DIR: dir }, dir);
    const { readFileSync } = await import('node:fs');
    const manifest = JSON.parse(readFileSync(join(dir, 'index', 'manifest.json'), 'utf8'));
    const index = await readIndex(join(dir, 'index'), config, manifest, false);
    const question = 'ツドレバって何社参加した？';
    const hits = (await new Assistant(index).ask(question)).hits;
    // a phrase of the second passage that the first does not contain
    const gold = hits[1]!.passage.text.split(/[。\n]/).find((s) => s.length >= 12 && !hits[0]!.passage.text.includes(s))!;
    const file = join(dir, 'set.jsonl');
    writeFileSync(file, `${JSON.stringify({ id: 'x1', question, gold: [gold] })}\n`);
    fake.rerankOrder = [2];
    const env = { DATA_DIR: dir, OPENAI_API_KEY: 'sk-test-key', OPENAI_BASE_URL: fake.baseUrl, OPENAI_MODEL: 'fake-chat', EMBEDDINGS: 'offline', LLM_TIMEOUT_MS: '20000' };
    const r = await run([file, '--llm'], env, dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`モデル: fake-chat（127.0.0.1:${fake.port}）、回答: llm:fake-chat`);
    expect(r.stdout).toMatch(/オフライン\s+hit@1 0\.000/);
    expect(r.stdout).toMatch(/LLM（並べ替え＋生成）\s+hit@1 1\.000 \(\+1\.000\)/);
    expect(r.stdout).toContain('生成した回答 1/1 件');
    expect(fake.reranks.length).toBe(1);
  });
});
