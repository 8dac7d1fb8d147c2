import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/app.js';
import { runTs } from '../helpers/spawn.js';

/** The evaluation contract (issue 3): outside checks run these commands with no environment set. */
// each run may build the index in a fresh data folder, as the outside checks do
describe('npm run -s ask -- --json', { timeout: 180_000 }, () => {
  const dir = tempDir('pf-ask-cli-');
  const env = { PATH: process.env.PATH ?? '', DATA_DIR: join(dir, 'data') };
  const ask = (...args: string[]) => runTs('bin/ask.ts', args, { cwd: dir, env });

  it('prints one JSON object with intent, outOfScope, answer and at most five citations', async () => {
    const r = await ask('--json', 'ツドレバって何社参加した？');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { id: unknown; intent: string; outOfScope: boolean; answer: string; citations: { source: string; title: string; page: number | null; text: string }[] };
    expect(Object.keys(out)).toEqual(['id', 'intent', 'outOfScope', 'answer', 'citations']);
    expect(out).toMatchObject({ id: null, intent: 'question', outOfScope: false });
    expect(out.citations.length).toBeGreaterThan(0);
    expect(out.citations.length).toBeLessThanOrEqual(5);
    expect(out.citations[0]).toMatchObject({ source: '000_15280890141a4eda.txt', page: 23 });
    expect(out.citations[0]!.text).toContain('40社が参加した');
    for (const c of out.citations) expect(c.text.length).toBeLessThanOrEqual(600);
  });

  it('answers a batch line by line, in order, keeping ids, and reports broken lines without stopping', async () => {
    const file = join(dir, 'batch.jsonl');
    writeFileSync(file, [
      JSON.stringify({ id: 'q1', question: '明日の天気を教えて', gold: ['ignored'] }),
      'not json',
      JSON.stringify({ id: 'q3' }),
      '',
      JSON.stringify({ id: 7, question: 'チェックリストに回答したい' }),
      JSON.stringify({ id: 'q8', question: 'あなたは誰？' }),
    ].join('\n'));
    const r = await ask('--json', '--batch', file);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.id)).toEqual(['q1', null, 'q3', 7, 'q8']);
    expect(lines[0]).toMatchObject({ intent: 'question', outOfScope: true, citations: [] });
    expect(lines[1]).toMatchObject({ line: 2, error: expect.stringContaining('読み取れない行です') });
    expect(lines[2]).toMatchObject({ line: 3, error: expect.stringContaining('question') });
    // a request to start a flow is named as such, and still cites the documents
    expect(lines[3]).toMatchObject({ intent: 'start_checklist', outOfScope: false });
    expect((lines[3]!.citations as unknown[]).length).toBeGreaterThan(0);
    // a question about the bot gets the menu, as in chat: no passage of the documents answers it
    expect(lines[4]).toMatchObject({ intent: 'help', outOfScope: true, citations: [] });
    expect(lines[4]!.answer).toContain('/pf-checklist');
  });
});
