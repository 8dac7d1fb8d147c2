import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/knowledge/document.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { fingerprint } from '../../src/knowledge/normalize.js';
import { MAX_PASSAGE_CHARS } from '../../src/knowledge/passage.js';

const KNOWLEDGE = join(import.meta.dirname, '../../knowledge');
const kb = loadKnowledge({ dir: KNOWLEDGE });

/** The raw extraction, with only its markup (links, escapes) and the known misread names undone. */
function rawFingerprint(source: string): string {
  const raw = readFileSync(join(KNOWLEDGE, 'raw', source), 'utf8')
    .replace(/大夢賀|大塚賀/g, '大多賀')
    .replace(/<(https?:\/\/[^>]+)>/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\\+_/g, '_');
  return fingerprint(raw);
}

describe('knowledge base', () => {
  it('has exactly the 13 Q&A with the handbook pages', () => {
    expect(kb.faq.map((f) => f.id)).toEqual(Array.from({ length: 13 }, (_, i) => `Q${i + 1}`));
    const pages = Object.fromEntries(kb.faq.map((f) => [f.id, f.page]));
    expect(pages).toEqual({ Q1: 30, Q2: 30, Q3: 30, Q4: 31, Q5: 31, Q6: 32, Q7: 32, Q8: 33, Q9: 33, Q10: 34, Q11: 34, Q12: 35, Q13: 35 });
    expect(kb.faq.find((f) => f.id === 'Q6')?.question).toBe('多様な主体へのアプローチ方法を知りたい。');
  });

  it('has the three steps, six functions, the checklist template and the 8-category taxonomy', () => {
    expect(kb.steps.map((s) => [s.number, s.page])).toEqual([[1, 9], [2, 11], [3, 12]]);
    expect(kb.steps[0]!.subSteps.map((s) => s.id)).toEqual(['1-1', '1-2']);
    expect(kb.functions.map((f) => [f.shortName, f.page])).toEqual([
      ['研修', 14], ['事例集', 15], ['多様な主体リスト', 16], ['ガイドブック', 17], ['伴走支援', 18], ['イベント', 19],
    ]);
    expect(kb.checklist.page).toBe(10);
    expect(kb.checklist.q1.steps).toHaveLength(3);
    expect(kb.checklist.q4.options.find((o) => o.exclusive)?.text).toBe('引き続き市町村内で進めたい・現時点では都道府県の支援を受ける想定は無い');
    expect(kb.taxonomy.categories.map((c) => c.name)).toEqual(['買物', '宅配・デリバリー', '送迎サービス', '出張サービス', '運動・憩いの場', '設備・施設・場所貸し', '学び・趣味', '生活サービス']);
    expect(kb.taxonomy.categories[0]!.subcategories.map((s) => s.name)).toContain('移動販売');
  });

  it('points every case, step and function at a real passage', () => {
    const has = (docSource: string, sectionId: string) => kb.passages.some((p) => p.source === docSource && p.sectionId === sectionId);
    for (const c of kb.cases) expect(has(c.source, c.sectionId), c.id).toBe(true);
    for (const s of kb.steps) {
      expect(has('000_15280890141a4eda.txt', s.sectionId), s.id).toBe(true);
      for (const sub of s.subSteps) expect(has('000_15280890141a4eda.txt', sub.sectionId), sub.id).toBe(true);
    }
    for (const f of kb.functions) expect(has('000_15280890141a4eda.txt', f.sectionId), f.id).toBe(true);
    const places = kb.cases.map((c) => c.place).join(' ');
    for (const place of ['兵庫県', '沖縄県', '埼玉県', '行田市', '高知県', '鹿児島県', '訓子府町', '大垣市', '御坊市', '宇治市', '防府市', '藤沢市', 'うきは市']) {
      expect(places, place).toContain(place);
    }
  });

  it('cuts passages within the length bound, with a page on every handbook passage', () => {
    for (const p of kb.passages) {
      expect(p.text.length).toBeLessThanOrEqual(MAX_PASSAGE_CHARS);
      if (p.docId === 'handbook') expect(p.page, p.id).toBeTypeOf('number');
    }
    const q6 = kb.passages.filter((p) => p.sectionId === 'q6');
    expect(q6.every((p) => p.page === 32)).toBe(true);
    expect(q6.map((p) => p.text).join('\n')).toContain('多様な主体に直接電話や面会の機会を設け');
  });

  it('leaves no table markup or spaced-out letters from the extraction', () => {
    for (const p of kb.passages) {
      expect(p.text, p.id).not.toMatch(/<\/?(p|ul|ol|li|div|br|table|td|tr)\b/i);
      expect(p.text, p.id).not.toMatch(/^\|.*\|$/m);
      expect(p.text, p.id).not.toMatch(/\t/);
      expect(p.text, p.id).not.toMatch(/大夢賀|大塚賀/);
      expect(p.text, p.id).not.toMatch(/地 域 共 生|介 護 保 険/);
    }
    expect(kb.passages.some((p) => p.text.includes('大多賀'))).toBe(true);
  });

  it('quotes the source documents faithfully: every line of every document is in its raw extraction', () => {
    const files = readdirSync(join(KNOWLEDGE, 'documents')).filter((f) => f.endsWith('.md'));
    expect(files).toHaveLength(5);
    for (const file of files) {
      const doc = parseDocument(file, readFileSync(join(KNOWLEDGE, 'documents', file), 'utf8'));
      const raw = rawFingerprint(doc.header.source!);
      for (const block of doc.blocks) {
        if (block.type === 'page') continue;
        const lines = block.type === 'heading' ? [block.text] : block.lines;
        for (const line of lines) {
          // a restated table row joins cells with ":", "、" or "／": each cell must be original
          const cells = block.type === 'paragraph' && block.table ? line.split(/[:：、／]/) : [line];
          for (const cell of cells) {
            const fp = fingerprint(cell.replace(/^\s*\d+\.\s/, ''));
            if (fp) expect(raw.includes(fp), `${file}: ${cell.slice(0, 60)}`).toBe(true);
          }
        }
      }
    }
  });

  it('keeps each document\'s attribution next to it', () => {
    const handbook = kb.documents.find((d) => d.header.id === 'handbook')!;
    expect(handbook.header).toMatchObject({ publisher: expect.stringContaining('日本総合研究所'), date: '令和8年3月', edition: 'Vol.2', source: '000_15280890141a4eda.txt' });
    expect(kb.documents.map((d) => d.source).sort()).toEqual([
      '000_15280890141a4eda.txt', '001_4f90379f52f24803.txt', '002_c5e2dd967f79d990.txt', '003_565d5c8a945ae273.txt', '004_cd07c4c4d47ec04c.txt',
    ]);
  });

  it('refuses a glossary definition whose quote is not in its document, naming the term', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pf-glossary-'));
    try {
      cpSync(KNOWLEDGE, dir, { recursive: true });
      const file = join(dir, 'data', 'glossary.json');
      const glossary = JSON.parse(readFileSync(file, 'utf8'));
      const group = glossary.groups.find((g: { definition?: unknown }) => g.definition);
      group.definition.quote = '資料のどこにも書かれていない定義文';
      writeFileSync(file, JSON.stringify(glossary));
      expect(() => loadKnowledge({ dir })).toThrow(/glossary\.json.*見つかりません/s);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
