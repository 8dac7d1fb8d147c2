/**
 * The prefecture's two pictures as Vega-Lite specs (data only: src/analysis/render.ts draws them):
 * the checklist overview (municipalities by stage of 図6, answered or not, and the Q3 / Q4 tallies)
 * and the gap heatmap (municipality × category, provider counts, reported needs marked, gaps
 * outlined in red). Each comes with its alt text and its bars for a text chart.
 * https://vega.github.io/vega-lite/docs/
 */
import type { TopLevelSpec } from 'vega-lite';
import type { TextBar } from '../engine/types.js';
import type { GapView } from './gaps.js';
import { ANALYSIS } from '../messages/analysis.js';

const FONT = 'Noto Sans JP';
const GAP_RED = '#c62828';
const UNANSWERED_GREY = '#9a9a9a';

/** A picture: what to draw, what it says in words, and its bars for a terminal. */
export interface ChartPlan {
  spec: TopLevelSpec;
  alt: string;
  bars: { title: string; rows: TextBar[] };
}

/** Fonts and titles shared by every chart. */
const baseConfig = {
  font: FONT,
  background: 'white',
  view: { stroke: null },
  axis: { labelFont: FONT, titleFont: FONT, labelFontSize: 11, titleFontSize: 11 },
  legend: { labelFont: FONT, titleFont: FONT },
  title: { font: FONT, fontSize: 15, subtitleFont: FONT, subtitleFontSize: 11, anchor: 'start' as const, subtitleColor: '#444' },
};

/** Counts of the checklist overview. */
export interface ChecklistCounts {
  expected: number;
  /** Q1 stages in flowchart order, then 未回答. */
  stages: { label: string; n: number }[];
  unanswered: number;
  q3: { label: string; n: number }[];
  q4: { label: string; n: number }[];
}

/** Horizontal bars: municipalities by Q1 stage and unanswered, then the Q3 and Q4 tallies. */
export function checklistChart(c: ChecklistCounts): ChartPlan {
  const answered = c.stages.reduce((s, x) => s + x.n, 0);
  const stageRows = [...c.stages.map((s) => ({ label: s.label, n: s.n, kind: ANALYSIS.chartAnswered })), { label: ANALYSIS.chartUnanswered, n: c.unanswered, kind: ANALYSIS.chartUnanswered }];
  const needRows = [...c.q3.map((x) => ({ label: x.label, n: x.n, kind: ANALYSIS.chartQ3 })), ...c.q4.map((x) => ({ label: x.label, n: x.n, kind: ANALYSIS.chartQ4 }))];
  const bar = (rows: { label: string; n: number; kind: string }[], title: string, colors: string[]): Record<string, unknown> => ({
    title: { text: title, fontSize: 12 },
    data: { values: rows },
    width: 360,
    height: { step: 22 },
    encoding: {
      y: { field: 'label', type: 'nominal', sort: null, title: null, axis: { labelLimit: 420 } },
      x: { field: 'n', type: 'quantitative', title: ANALYSIS.chartMunicipalities, axis: { tickMinStep: 1, format: 'd' } },
    },
    layer: [
      { mark: { type: 'bar' }, encoding: { color: { field: 'kind', type: 'nominal', title: null, scale: { range: colors }, legend: { orient: 'bottom' } } } },
      { mark: { type: 'text', align: 'left', dx: 4, fontSize: 11 }, encoding: { text: { field: 'n', type: 'quantitative' } } },
    ],
  });
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: baseConfig,
    title: { text: ANALYSIS.chartTitle, subtitle: ANALYSIS.chartSubtitle(answered, c.expected) },
    vconcat: [bar(stageRows, ANALYSIS.chartStages, ['#1f6fb4', '#b0b0b0']), bar(needRows, ANALYSIS.chartQ3Q4, ['#e08a00', '#2e8b57'])],
    resolve: { scale: { color: 'independent' } },
  } as unknown as TopLevelSpec;
  const alt = [
    ANALYSIS.chartAlt(c.expected, answered, c.unanswered),
    ANALYSIS.chartAltStages(c.stages.map((s) => `${s.label} ${s.n}`).join('、')),
    `${c.q3.map((s) => `${s.label} ${s.n}`).join('、')}。`,
    `${c.q4.map((s) => `${s.label} ${s.n}`).join('、')}。`,
  ].join('');
  return { spec, alt: alt.slice(0, 990), bars: { title: ANALYSIS.chartStagesAxis, rows: stageRows.map((r) => ({ label: r.label, value: r.n })) } };
}

/** How many municipalities a heatmap shows per image (63 fit; larger prefectures are cut). */
export const HEATMAP_MAX_ROWS = 80;

/** Municipality × category cells coloured by providers, needs marked (●), gaps outlined in red. */
export function gapHeatmap(view: GapView, prefectureLabel: string = ANALYSIS.inPrefecture): ChartPlan {
  const rows = view.rows.slice(0, HEATMAP_MAX_ROWS);
  const values = rows.flatMap((r) =>
    r.cells.map((c) => ({
      m: r.name,
      c: view.categories.find((x) => x.id === c.categoryId)!.name,
      n: c.providers,
      mark: c.need ? `●${c.providers}` : '',
      gap: Boolean(c.need) && c.providers === 0,
    })),
  );
  const wideTotal = [...view.wide.values()].reduce((s, n) => s + n, 0);
  // names of municipalities that have not answered are grey (a Vega expression over the label)
  const unanswered = rows.filter((r) => !r.answered).map((r) => r.name);
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: { ...baseConfig, axis: { ...baseConfig.axis, domain: false, ticks: false } },
    title: {
      text: ANALYSIS.heatmapTitle(prefectureLabel),
      subtitle: [ANALYSIS.heatmapLegend, ANALYSIS.heatmapSubtitle(view.answered, view.needs.length, view.gaps.length, wideTotal)],
    },
    data: { values },
    width: { step: 46 },
    height: { step: 16 },
    encoding: {
      y: { field: 'm', type: 'nominal', sort: null, title: null, axis: { labelColor: { condition: { test: `indexof(${JSON.stringify(unanswered)}, datum.value) >= 0`, value: UNANSWERED_GREY }, value: '#111' } } },
      x: { field: 'c', type: 'nominal', sort: null, title: null, axis: { orient: 'top', labelAngle: -35, labelAlign: 'left', labelLimit: 200 } },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
        // near-white at 0 so an empty cell reads as empty
        encoding: { color: { field: 'n', type: 'quantitative', title: ANALYSIS.heatmapProviders, scale: { type: 'symlog', domainMin: 0, range: ['#f3f6f9', '#08306b'] }, legend: { orient: 'right', gradientLength: 160 } } },
      },
      {
        transform: [{ filter: 'datum.gap' }],
        mark: { type: 'rect', fill: null, stroke: GAP_RED, strokeWidth: 2.5 },
      },
      {
        transform: [{ filter: "datum.mark !== ''" }],
        mark: { type: 'text', fontSize: 10 },
        encoding: {
          text: { field: 'mark' },
          color: { condition: { test: 'datum.gap', value: GAP_RED }, value: '#111' },
        },
      },
    ],
  } as unknown as TopLevelSpec;
  const worst = view.gaps.slice(0, 8).map((g) => ANALYSIS.heatmapCell(g.municipality, g.category));
  const alt = [
    ANALYSIS.heatmapAlt(rows.length, view.categories.length),
    ANALYSIS.heatmapAltNeeds(view.needs.length, view.gaps.length),
    worst.length ? ANALYSIS.heatmapAltWorst(worst.join('、'), view.gaps.length > worst.length) : '。',
    view.rows.length > rows.length ? ANALYSIS.heatmapAltShown(rows.length) : '',
  ].join('');
  const perCategory = view.categories.map((c) => ({
    label: c.name,
    value: view.needs.filter((n) => n.categoryId === c.id).length,
    note: ANALYSIS.gapsOf(view.gaps.filter((g) => g.categoryId === c.id).length),
  }));
  return { spec, alt: alt.slice(0, 990), bars: { title: ANALYSIS.needsByCategory, rows: perCategory } };
}
