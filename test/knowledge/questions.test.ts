import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KnowledgeError } from '../../src/knowledge/errors.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { isSearchable } from '../../src/knowledge/passage.js';
import { MAX_VARIANT_CHARS } from '../../src/knowledge/schema.js';
import { fingerprint } from '../../src/knowledge/normalize.js';

const kb = loadKnowledge({ dir: 'knowledge' });
const copies: string[] = [];
afterAll(() => copies.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A copy of knowledge/ whose questions.json has been changed by `edit`. */
function withQuestions(edit: (q: { variants: Record<string, string[]>; notTargets: Record<string, string> }) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'pf-questions-'));
  copies.push(dir);
  cpSync('knowledge', dir, { recursive: true });
  const file = join(dir, 'data', 'questions.json');
  const q = JSON.parse(readFileSync(file, 'utf8'));
  edit(q);
  writeFileSync(file, JSON.stringify(q));
  return dir;
}

const error = (dir: string): KnowledgeError => {
  try {
    loadKnowledge({ dir });
  } catch (e) {
    return e as KnowledgeError;
  }
  throw new Error('loaded without error');
};

describe('question variants (knowledge/data/questions.json)', () => {
  it('cover every searchable passage of the project\'s documents, within the length limit, none a copied sentence', () => {
    const searchable = kb.passages.filter(isSearchable);
    const file = JSON.parse(readFileSync('knowledge/data/questions.json', 'utf8'));
    for (const p of searchable) expect(p.id in kb.questions || p.id in file.notTargets, p.id).toBe(true);
    const all = Object.values(kb.questions).flat();
    expect(all.length).toBeGreaterThan(5 * searchable.length);
    for (const v of all) expect(v.length).toBeLessThanOrEqual(MAX_VARIANT_CHARS);
    for (const [id, list] of Object.entries(kb.questions)) {
      const sentences = new Set(kb.passages.find((p) => p.id === id)!.text.split(/\n|(?<=。)/).map(fingerprint).filter((k) => k.length >= 6));
      for (const v of list) expect(sentences.has(fingerprint(v)), v).toBe(false);
    }
  });

  it('names the file, the record and the reason when an id does not exist', () => {
    const e = error(withQuestions((q) => (q.variants['handbook:no-such:1'] = ['これは何？'])));
    expect(e).toBeInstanceOf(KnowledgeError);
    expect(e.record).toBe('handbook:no-such:1');
    expect(e.reason).toContain('パッセージがありません');
  });

  it('rejects a passage left without variants or a reason', () => {
    const e = error(withQuestions((q) => delete q.variants[Object.keys(q.variants)[0]!]));
    expect(e.reason).toContain('想定質問がありません');
  });

  it('rejects a variant that copies a sentence of its passage', () => {
    const target = kb.passages.find((p) => p.id === 'handbook:q6:1')!;
    const sentence = target.text.split(/\n|(?<=。)/).find((s) => s.length > 20)!;
    const e = error(withQuestions((q) => q.variants['handbook:q6:1']!.push(sentence)));
    expect(e.record).toBe('handbook:q6:1');
    expect(e.reason).toContain('本文の文そのまま');
  });

  it('rejects an over-long variant with the path of the offending entry', () => {
    const e = error(withQuestions((q) => q.variants['handbook:q6:1']!.push('あ'.repeat(MAX_VARIANT_CHARS + 1))));
    expect(e.record).toContain('handbook:q6:1');
  });
});
