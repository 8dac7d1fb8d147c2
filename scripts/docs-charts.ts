/**
 * `npm run docs:charts`: draws the README's pictures from the sample data, through the same code
 * as /pf-provider 空白 and /pf-checklist 集計:
 *
 * - municipalities: knowledge/municipalities/saitama.csv (埼玉県's 63);
 * - checklists: docs/sample/checklists.json (fictitious answers of 15 municipalities);
 * - providers: the ones the product ships (src/providers/seed.ts) and 300 generated ones
 *   (deterministic, with bench/providers-data.ts's random numbers and names: more in the cities
 *   at the top of the list, few in the small towns, and six prefecture-wide ones in two
 *   categories), in a database in memory. The generated organisations are not real.
 *
 * Writes docs/images/gaps-sample.png and docs/images/checklist-sample.png.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { checklistChart, gapHeatmap } from '../src/analysis/charts.js';
import { readCoverage } from '../src/providers/coverage.js';
import { computeGaps } from '../src/analysis/gaps.js';
import { loadNeedCategories, needMatcher } from '../src/analysis/needs.js';
import { renderChart } from '../src/analysis/render.js';
import { ChecklistAnswersSchema, stageOf } from '../src/checklist/model.js';
import { templateDefinition } from '../src/checklist/definition/load.js';
import { PROJECT_ROOT } from '../src/config.js';
import { seedProviders } from '../src/providers/seed.js';
import { ProviderStore } from '../src/providers/repository.js';
import { openDatabase } from '../src/store/db.js';
import { MunicipalityStore, readMunicipalityList } from '../src/store/municipalities.js';
import { kb, pick, random, subs } from '../bench/providers-data.js';
import type { ProviderInput } from '../src/providers/model.js';

const GENERATED_PROVIDERS = 300;
const HEADS = ['みどり', 'さくら', 'ひかり', 'あおば', 'ふれあい'];

/** Generated providers: areas skewed to the first (largest) municipalities of the list. */
function sampleProviders(names: string[]): ProviderInput[] {
  const rnd = random(26);
  const local = Array.from({ length: GENERATED_PROVIDERS }, (_, i): ProviderInput => {
    const chosen = [...new Set([pick(rnd, subs), pick(rnd, subs)])].slice(0, 1 + Math.floor(rnd() * 2));
    const areas = [...new Set(Array.from({ length: 1 + Math.floor(rnd() * 2) }, () => names[Math.floor(rnd() ** 2.6 * names.length)]!))];
    return { externalId: `sample-${i}`, name: `${pick(rnd, HEADS)}サービス ${i}号`, orgType: '企業', categories: chosen.map((c) => ({ categoryId: c.category.id, subcategoryId: c.sub.id })), wholePrefecture: false, areas, description: '', services: '', source: '見本（生成データ）', status: 'approved' };
  });
  const wide = ['delivery-3', 'delivery-1', 'living-1', 'living-2', 'delivery-5', 'living-9'].map((sub, i): ProviderInput => {
    const c = subs.find((x) => x.sub.id === sub)!;
    return { externalId: `sample-wide-${i}`, name: `県域${c.sub.name} ${i}号`, orgType: '企業', categories: [{ categoryId: c.category.id, subcategoryId: c.sub.id }], wholePrefecture: true, areas: [], description: '', services: '', source: '見本（生成データ）', status: 'approved' };
  });
  return [...local, ...wide];
}
const Sample = z.object({ note: z.string(), answers: z.array(ChecklistAnswersSchema.extend({ municipality: z.string() })) });

async function main(): Promise<void> {
  const db = openDatabase(':memory:');
  const municipalities = new MunicipalityStore(db);
  municipalities.syncList(readMunicipalityList(join(PROJECT_ROOT, 'knowledge', 'municipalities', 'saitama.csv')));
  const list = municipalities.all(true);
  const providers = new ProviderStore(db);
  seedProviders(providers, kb.taxonomy);
  providers.upsertMany(sampleProviders(list.map((m) => m.name)));
  const sample = Sample.parse(JSON.parse(readFileSync(join(PROJECT_ROOT, 'docs', 'sample', 'checklists.json'), 'utf8')));
  const submissions = sample.answers.map(({ municipality, ...answers }) => {
    const m = municipalities.find(municipality);
    if (m.length !== 1) throw new Error(`unknown municipality in the sample: ${municipality}`);
    return { municipalityId: m[0]!.id, answers };
  });

  const view = computeGaps({
    taxonomy: kb.taxonomy,
    matcher: needMatcher(kb.taxonomy, loadNeedCategories(join(PROJECT_ROOT, 'knowledge'), kb.taxonomy)),
    municipalities: list.map((m) => ({ id: m.id, name: m.name })),
    submissions,
    coverage: readCoverage(db),
  });
  const gaps = await renderChart(gapHeatmap(view, '埼玉県（見本）').spec);
  writeFileSync(join(PROJECT_ROOT, 'docs', 'images', 'gaps-sample.png'), gaps.png);

  const tally = (q: 'q3' | 'q4'): { label: string; n: number }[] => kb.checklist[q].options.map((o) => ({ label: `${q.toUpperCase()} ${o.text}`, n: submissions.filter((s) => s.answers[q].options.includes(o.id)).length }));
  const checklist = await renderChart(
    checklistChart({
      expected: list.length,
      stages: kb.checklist.stages.map((s) => ({ label: s.label, n: submissions.filter((x) => stageOf(templateDefinition(kb.checklist), x.answers)?.id === s.id).length })),
      unanswered: list.length - submissions.length,
      q3: tally('q3'),
      q4: tally('q4'),
    }).spec,
  );
  writeFileSync(join(PROJECT_ROOT, 'docs', 'images', 'checklist-sample.png'), checklist.png);
  console.log(`docs/images/gaps-sample.png ${gaps.width}×${gaps.height}（困りごと ${view.needs.length} 件・空白 ${view.gaps.length} 件）`);
  console.log(`docs/images/checklist-sample.png ${checklist.width}×${checklist.height}`);
  db.close();
}

main().catch((error: unknown) => {
  console.error(`図を作れませんでした: ${(error as Error).message}`);
  process.exitCode = 1;
});
