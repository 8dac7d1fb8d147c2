import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gapHeatmap, checklistChart } from '../../src/analysis/charts.js';
import { readCoverage } from '../../src/providers/coverage.js';
import { gapCsv } from '../../src/analysis/csv.js';
import { computeGaps, needLine, type GapView } from '../../src/analysis/gaps.js';
import { loadNeedCategories, needMatcher, needsInText } from '../../src/analysis/needs.js';
import { MAX_CHART_BYTES, renderChart } from '../../src/analysis/render.js';
import type { ChecklistAnswers } from '../../src/checklist/model.js';
import { PROJECT_ROOT } from '../../src/config.js';
import { TaxonomySchema } from '../../src/knowledge/schema.js';
import type { ProviderInput } from '../../src/providers/model.js';
import { ProviderStore } from '../../src/providers/repository.js';
import { openDatabase, type Db } from '../../src/store/db.js';

const KNOWLEDGE = join(PROJECT_ROOT, 'knowledge');
const taxonomy = TaxonomySchema.parse(JSON.parse(readFileSync(join(KNOWLEDGE, 'data', 'taxonomy.json'), 'utf8')));
const matcher = needMatcher(taxonomy, loadNeedCategories(KNOWLEDGE, taxonomy));

const sub = (name: string): { categoryId: string; subcategoryId: string } => {
  for (const c of taxonomy.categories) for (const s of c.subcategories) if (s.name === name) return { categoryId: c.id, subcategoryId: s.id };
  throw new Error(name);
};
const provider = (name: string, subs: string[], areas: string[], extra: Partial<ProviderInput> = {}): ProviderInput => ({
  name, orgType: '企業', categories: subs.map(sub), wholePrefecture: false, areas, description: '', services: '', source: 'テスト', status: 'approved', ...extra,
});
const answers = (q2: string | undefined, q3: string[] = [], q4: string[] = [], other: { q3?: string; q4?: string } = {}): ChecklistAnswers => ({
  q1: { q1a: 'yes', q1b: 'no' },
  ...(q2 ? { q2 } : {}),
  q3: { options: q3, ...(other.q3 ? { other: other.q3 } : {}) },
  q4: { options: q4, ...(other.q4 ? { other: other.q4 } : {}) },
});

const MUNICIPALITIES = [
  { id: 'gyoda', name: '行田市' },
  { id: 'kumagaya', name: '熊谷市' },
  { id: 'chichibu', name: '秩父市' },
  { id: 'ogano', name: '小鹿野町' },
];

let db: Db;
let view: GapView;
beforeAll(() => {
  db = openDatabase(':memory:');
  const store = new ProviderStore(db);
  store.upsertMany([
    // two shopping sub-categories: one provider, counted once
    provider('うえたん号', ['移動販売', '配送'], ['行田市']),
    provider('熊谷タクシー', ['個別移送サービス'], ['熊谷市', '行田市']),
    // serves the whole prefecture: counts in every municipality
    provider('県域見守りネット', ['防犯・見守り'], [], { wholePrefecture: true }),
    // names an area and the whole prefecture: counted once, as prefecture-wide
    provider('県域弁当', ['弁当配達'], ['行田市'], { wholePrefecture: true }),
    // not approved: never counted
    provider('申込中スーパー', ['移動販売'], ['熊谷市'], { status: 'pending' }),
    provider('却下された送迎', ['個別移送サービス'], ['秩父市'], { status: 'rejected' }),
  ]);
  view = computeGaps({
    taxonomy,
    matcher,
    municipalities: MUNICIPALITIES,
    submissions: [
      { municipalityId: 'gyoda', answers: answers('買い物に困っている高齢者が多く、通院の足もない', ['unknown-providers'], ['provider-list']) },
      { municipalityId: 'kumagaya', answers: answers('移動販売車が来なくなった', [], ['training'], { q3: '見守りの担い手がいない' }) },
      { municipalityId: 'chichibu', answers: answers(undefined, ['other'], ['other'], { q3: '通院の送迎がない', q4: '居場所づくりの相談' }) },
    ],
    coverage: readCoverage(db),
  });
});
afterAll(() => db.close());

const cell = (m: string, cat: string): number => view.rows.find((r) => r.name === m)!.cells.find((c) => c.categoryId === cat)!.providers;

describe('gap computation', () => {
  it('finds the categories named in the free text of Q2 and the 「その他」 of Q3 and Q4', () => {
    expect(needsInText(matcher, '買い物に困っている高齢者が多く、通院の足もない', 'q2').map((n) => [n.categoryId, n.word])).toEqual([
      ['shopping', '買い物'],
      ['transport', '通院'],
    ]);
    // 「移動販売」 is shopping, not the 「移動」 of transport
    expect(needsInText(matcher, '移動販売車が来なくなった', 'q2').map((n) => n.categoryId)).toEqual(['shopping']);
    expect(needsInText(matcher, '特になし', 'q2')).toEqual([]);
  });

  it('counts approved providers by municipality and category, with the prefecture-wide ones everywhere', () => {
    expect(cell('行田市', 'shopping')).toBe(1);
    expect(cell('行田市', 'transport')).toBe(1);
    expect(cell('熊谷市', 'transport')).toBe(1);
    // pending and rejected entries count nowhere
    expect(cell('熊谷市', 'shopping')).toBe(0);
    expect(cell('秩父市', 'transport')).toBe(0);
    // prefecture-wide: in every municipality, once even where it also names the area
    for (const m of MUNICIPALITIES) expect(cell(m.name, 'living')).toBe(1);
    expect(cell('行田市', 'delivery')).toBe(1);
    expect(cell('小鹿野町', 'delivery')).toBe(1);
    expect(view.wide.get('living')).toBe(1);
  });

  it('lists the needs without a provider, most urgent first, as the issue words it', () => {
    expect(view.answered).toBe(3);
    expect(view.gaps.map((g) => `${g.municipality}:${g.categoryId}`)).toEqual(['熊谷市:shopping', '秩父市:transport', '秩父市:exercise-place']);
    expect(needLine(view.gaps[0]!)).toBe('熊谷市: 買物の困りごと（Q2「移動販売」）→ 買物カテゴリの事業者 0 件');
    // 行田市 asked for providers (Q3 no contact, Q4 list): first among the needs that have one provider
    const served = view.needs.filter((n) => n.providers === 1);
    expect(served[0]!.municipality).toBe('行田市');
    expect(served[0]!.urgency).toBe(2);
    // 熊谷市's 見守り need is met by the prefecture-wide provider
    expect(view.needs.find((n) => n.municipality === '熊谷市' && n.categoryId === 'living')!.providers).toBe(1);
    // an unanswered municipality has a row and no needs
    expect(view.rows.find((r) => r.name === '小鹿野町')!.answered).toBe(false);
    expect(view.needs.some((n) => n.municipality === '小鹿野町')).toBe(false);
  });

  it('exports the ranked list as CSV with a byte-order mark, formula-safe cells', () => {
    const data = gapCsv(view);
    expect([...data.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(data.subarray(3).toString('utf8'), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(view.needs.length);
    expect(rows[0]).toMatchObject({ 順位: '1', 市町村: '熊谷市', カテゴリ: '買物', '事業者数（県全域を含む）': '0', 空白: '空白', 困りごとの語: '移動販売' });
    const hostile = computeGaps({ taxonomy, matcher, municipalities: [{ id: 'x', name: '=HYPERLINK("x")' }], submissions: [{ municipalityId: 'x', answers: answers('買い物') }], coverage: readCoverage(db) });
    const cells = parse(gapCsv(hostile).subarray(3).toString('utf8'), { columns: true }) as Record<string, string>[];
    expect(cells[0]!['市町村']).toBe(`'=HYPERLINK("x")`);
  });
});

describe('chart images', () => {
  it('draws the heatmap as a PNG of sensible size whose SVG names every municipality', async () => {
    const plan = gapHeatmap(view, '埼玉県');
    const chart = await renderChart(plan.spec);
    expect([...chart.png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(chart.png.length).toBeGreaterThan(10_000);
    expect(chart.png.length).toBeLessThan(MAX_CHART_BYTES);
    // IHDR: width and height of the image
    expect(chart.png.readUInt32BE(16)).toBe(chart.width);
    expect(chart.width).toBeGreaterThan(400);
    expect(chart.height).toBeGreaterThan(200);
    for (const m of ['行田市', '熊谷市', '秩父市', '小鹿野町', '買物', '生活サービス', '埼玉県の困りごとと事業者の空白']) expect(chart.svg).toContain(m);
    // the gap cells are marked (●0 in red), the unanswered municipality's name is grey
    expect(chart.svg).toMatch(/fill="#c62828"[^>]*>●0</);
    expect(chart.svg).toMatch(/fill="#9a9a9a"[^>]*>小鹿野町</);
    expect(chart.svg).toMatch(/fill="#111"[^>]*>行田市</);
    expect(plan.alt).toContain('空白は 3 件（熊谷市の買物、秩父市の送迎サービス、秩父市の運動・憩いの場）');
    expect(plan.bars.rows.find((r) => r.label === '送迎サービス')).toEqual({ label: '送迎サービス', value: 2, note: 'うち空白 1' });
  });

  it('draws the checklist overview with Japanese labels', async () => {
    const plan = checklistChart({ expected: 63, stages: [{ label: '課題を把握していない', n: 2 }, { label: '具体策を進めている', n: 1 }], unanswered: 60, q3: [{ label: 'Q3 その他', n: 1 }], q4: [{ label: 'Q4 その他', n: 2 }] });
    const chart = await renderChart(plan.spec);
    expect(chart.png.subarray(1, 4).toString('latin1')).toBe('PNG');
    for (const label of ['課題を把握していない', '未回答', '60', 'Q3 その他', 'Q4 その他', '回答済み 3 / 63 市町村']) expect(chart.svg).toContain(label);
    expect(plan.alt).toContain('63 市町村のうち回答済み 3、未回答 60');
  });
});
