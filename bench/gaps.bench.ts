/**
 * The prefecture's gap view at scale: 63 municipalities (埼玉県's list), each with a generated
 * checklist, against 100,000 generated providers (bench/providers-data.ts, imported through the
 * CSV import path into a temporary database). Times each stage of 「/pf-provider 空白」 (provider
 * counts, the join, the heatmap's SVG and PNG) and the checklist chart, first call and warm, and
 * prints the PNG sizes against Slack's and Discord's upload limits.
 *
 *   npm run bench -- gaps [COUNT]
 *
 * Target: the whole gap view (counts, join, picture) under 1 s once the chart libraries are loaded.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { checklistChart, gapHeatmap } from '../src/analysis/charts.js';
import { readCoverage } from '../src/providers/coverage.js';
import { computeGaps } from '../src/analysis/gaps.js';
import { loadNeedCategories, needMatcher } from '../src/analysis/needs.js';
import { renderChart } from '../src/analysis/render.js';
import { stageOf, type ChecklistAnswers } from '../src/checklist/model.js';
import { templateDefinition } from '../src/checklist/definition/load.js';
import { PROJECT_ROOT } from '../src/config.js';
import { importProvidersCsv } from '../src/providers/import.js';
import { ProviderStore } from '../src/providers/repository.js';
import { openDatabase } from '../src/store/db.js';
import { kb, municipalities, pick, random } from './providers-data.js';
import { percentile, rssMb } from './stats.js';

const COUNT = Number(process.argv[2] ?? 100_000);
const RUNS = 5;
const SLACK_LIMIT = 1024 ** 3;
const DISCORD_LIMIT = 10 * 1024 ** 2;

const NEED_TEXTS = ['買い物に困っている高齢者が多い', '通院の足がない', 'ゴミ出しが難しい世帯が増えた', '見守りの担い手が足りない', '配食サービスがない地区がある', '居場所やサロンが少ない', 'スマホ教室の希望が多い', '集会所が使えない'];

function generatedAnswers(rnd: () => number): ChecklistAnswers {
  const q1a = rnd() < 0.8 ? 'yes' : 'no';
  const q1b = q1a === 'yes' ? (rnd() < 0.6 ? 'yes' : 'no') : undefined;
  const q1c = q1b === 'yes' ? (rnd() < 0.5 ? 'yes' : 'no') : undefined;
  const q2 = Array.from({ length: 1 + Math.floor(rnd() * 2) }, () => pick(rnd, NEED_TEXTS)).join('。');
  const q3 = kb.checklist.q3.options.filter((o) => o.id !== 'other' && rnd() < 0.4).map((o) => o.id);
  const q4 = kb.checklist.q4.options.filter((o) => o.id !== 'other' && o.id !== 'no-support' && rnd() < 0.3).map((o) => o.id);
  return { q1: { q1a, ...(q1b ? { q1b } : {}), ...(q1c ? { q1c } : {}) }, q2, q3: { options: q3 }, q4: { options: q4 } };
}

const ms = (v: number): string => `${v.toFixed(0).padStart(5)} ms`;
const kb1 = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KB`;

const dir = mkdtempSync(join(tmpdir(), 'pf-bench-gaps-'));
try {
  const csvPath = join(dir, 'providers.csv');
  execFileSync(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'bench', 'providers-data.ts'), String(COUNT), csvPath], { stdio: 'inherit' });
  const db = openDatabase(join(dir, 'bench.sqlite'));
  const store = new ProviderStore(db);
  let t = performance.now();
  const outcome = await importProvidersCsv(store, readFileSync(csvPath), { taxonomy: kb.taxonomy, municipalities, suggest: () => [], defaultSource: 'bench' });
  console.log(`事業者 ${outcome.created.toLocaleString()} 件を取り込み（${((performance.now() - t) / 1000).toFixed(1)} 秒、掲載中 ${store.count('approved').toLocaleString()} 件）`);

  const rnd = random(20);
  const list = municipalities.map((name, i) => ({ id: `m${i}`, name }));
  const submissions = list.map((m) => ({ municipalityId: m.id, answers: generatedAnswers(rnd) }));
  const matcher = needMatcher(kb.taxonomy, loadNeedCategories(join(PROJECT_ROOT, 'knowledge'), kb.taxonomy));

  const stages: Record<'counts' | 'join' | 'svg' | 'png' | 'total' | 'cpu', number[]> = { counts: [], join: [], svg: [], png: [], total: [], cpu: [] };
  let firstTotal = 0;
  let heat: { png: Buffer; width: number; height: number } = { png: Buffer.alloc(0), width: 0, height: 0 };
  let gaps = 0;
  let needs = 0;
  for (let run = 0; run <= RUNS; run++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    t = start;
    const coverage = readCoverage(db);
    const counts = performance.now() - t;
    t = performance.now();
    const view = computeGaps({ taxonomy: kb.taxonomy, matcher, municipalities: list, submissions, coverage });
    const joined = performance.now() - t;
    t = performance.now();
    const chart = await renderChart(gapHeatmap(view, '埼玉県').spec);
    const render = performance.now() - t;
    const total = performance.now() - start;
    // CPU time of this process: on a shared machine the wall time also counts the waits for a core
    const cpu = process.cpuUsage(cpuStart);
    if (run === 0) {
      // the first call loads Vega, resvg and the font, and cuts the font's subset
      firstTotal = total;
      heat = chart;
      gaps = view.gaps.length;
      needs = view.needs.length;
      continue;
    }
    stages.counts.push(counts);
    stages.join.push(joined);
    stages.svg.push(chart.ms.svg);
    stages.png.push(chart.ms.png);
    void render;
    stages.total.push(total);
    stages.cpu.push((cpu.user + cpu.system) / 1000);
  }
  const expected = list.length;
  const check = checklistChart({
    expected,
    stages: kb.checklist.stages.map((s) => ({ label: s.label, n: submissions.filter((x) => stageOf(templateDefinition(kb.checklist), x.answers)?.id === s.id).length })),
    unanswered: 0,
    q3: kb.checklist.q3.options.map((o) => ({ label: `Q3 ${o.text}`, n: submissions.filter((x) => x.answers.q3.options.includes(o.id)).length })),
    q4: kb.checklist.q4.options.map((o) => ({ label: `Q4 ${o.text}`, n: submissions.filter((x) => x.answers.q4.options.includes(o.id)).length })),
  });
  const checkTimes: number[] = [];
  let checkChart: { png: Buffer; width: number; height: number } = { png: Buffer.alloc(0), width: 0, height: 0 };
  for (let run = 0; run < RUNS; run++) {
    t = performance.now();
    checkChart = await renderChart(check.spec);
    checkTimes.push(performance.now() - t);
  }

  console.log(`\n空白ビュー（${expected} 市町村 × ${kb.taxonomy.categories.length} カテゴリ、困りごと ${needs} 件・空白 ${gaps} 件）、${RUNS} 回の中央値 / 最大:`);
  for (const [label, values] of [['事業者数の集計（SQL）', stages.counts], ['困りごととの結合', stages.join], ['ヒートマップ SVG（Vega）', stages.svg], ['PNG（resvg）', stages.png], ['合計（経過時間）', stages.total], ['合計（CPU 時間）', stages.cpu]] as const) {
    console.log(`  ${label.padEnd(20)} ${ms(percentile(values, 50))} / ${ms(Math.max(...values))}`);
  }
  console.log(`  初回（ライブラリとフォントの読み込みを含む） ${ms(firstTotal)}`);
  console.log(`  目標 1 秒未満（経過時間の中央値）: ${percentile(stages.total, 50) < 1000 ? '達成' : '未達'}`);
  console.log(`チェックリストのグラフ SVG→PNG: 中央値 ${ms(percentile(checkTimes, 50))}`);
  console.log(`PNG: ヒートマップ ${heat.width}×${heat.height} px ${kb1(heat.png.length)}、チェックリスト ${checkChart.width}×${checkChart.height} px ${kb1(checkChart.png.length)}（上限: Slack ${SLACK_LIMIT / 1024 ** 3} GB、Discord ${DISCORD_LIMIT / 1024 ** 2} MB）`);
  console.log(`ピークメモリ ${rssMb().toFixed(0)} MB、計測時のロードアベレージ ${loadavg().map((l) => l.toFixed(1)).join(' / ')}（1・5・15分）`);
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
