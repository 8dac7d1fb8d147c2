/**
 * 「/pf-provider 空白」 and 「/pf 分析」 (admins): where a need a municipality reported in its
 * checklist meets no approved provider. A ranked text list, the heatmap as an image, a CSV export,
 * and a drill-down from one gap to the provider search (the municipality, its neighbours as the
 * municipality list records them, the whole prefecture) and to the handbook's cases where that
 * kind of need was met.
 */
import { ChecklistAnswersSchema } from '../checklist/model.js';
import { authorize } from '../engine/auth.js';
import { handled, type Handled } from '../engine/context.js';
import type { Block, Reply, SelectOption } from '../engine/types.js';
import { text } from '../engine/types.js';
import { normalizeForMatch } from '../knowledge/normalize.js';
import { parseCaseQuery, searchCases } from '../guides/case-search.js';
import { gapHeatmap } from './charts.js';
import type { Ctx } from './context.js';
import { gapCsv } from './csv.js';
import { computeGaps, needLine, type GapView } from './gaps.js';
import { chartReply } from './image.js';
import { loadNeedCategories, needMatcher, SOURCE_LABEL } from './needs.js';
import { localDate } from '../csv/time.js';
import { ANALYSIS } from '../messages/analysis.js';

/** Gaps listed in the text (the CSV and the image hold them all). */
const LISTED = 15;
/** Options of the drill-down select (Discord allows 25). */
const PICKS = 25;

const denied = (ctx: Ctx, action: 'checklist.overview' | 'checklist.export'): Handled | null => {
  const d = authorize(ctx.services, ctx.actor, action);
  return d.ok ? null : handled([text(d.message, { ephemeral: true })]);
};

/** Reads the checklist and the provider directory and joins them. */
export function buildGapView(ctx: Ctx): GapView {
  const { kb, config, municipalities, checklists, providers } = ctx.services;
  const matcher = needMatcher(kb.taxonomy, loadNeedCategories(config.knowledgeDir, kb.taxonomy));
  return computeGaps({
    taxonomy: kb.taxonomy,
    matcher,
    municipalities: municipalities.all(Boolean(config.municipalitiesFile)).map((m) => ({ id: m.id, name: m.name })),
    // needs are read from the template's Q2–Q4; answers to a definition without them report none
    submissions: checklists.allLatest().flatMap((s) => {
      const parsed = ChecklistAnswersSchema.safeParse(s.answers);
      return parsed.success ? [{ municipalityId: s.municipalityId, answers: parsed.data }] : [];
    }),
    coverage: providers.coverage(),
  });
}

function summaryReply(view: GapView): Reply {
  const wideTotal = [...view.wide.values()].reduce((s, n) => s + n, 0);
  const thin = view.needs.filter((n) => n.providers > 0 && n.providers <= 2);
  const blocks: Block[] = [
    { type: 'header', text: ANALYSIS.header },
    {
      type: 'fields',
      fields: [
        { label: ANALYSIS.answered, value: ANALYSIS.answeredOf(view.answered, view.rows.length) },
        { label: ANALYSIS.needs, value: ANALYSIS.count(view.needs.length) },
        { label: ANALYSIS.gaps, value: ANALYSIS.count(view.gaps.length) },
        { label: ANALYSIS.wideProviders, value: ANALYSIS.wideTotal(wideTotal) },
      ],
    },
    { type: 'list', title: ANALYSIS.gapsTitle, items: view.gaps.length ? view.gaps.slice(0, LISTED).map(needLine) : [ANALYSIS.noGaps] },
  ];
  if (view.gaps.length > LISTED) blocks.push({ type: 'context', text: ANALYSIS.moreInCsv(view.gaps.length - LISTED) });
  if (thin.length) blocks.push({ type: 'list', title: ANALYSIS.fewProviders, items: thin.slice(0, 10).map(needLine) });
  blocks.push({
    type: 'context',
    text: ANALYSIS.method,
  });
  const picks: SelectOption[] = view.needs.slice(0, PICKS).map((n) => ({ label: ANALYSIS.needOption(n.municipality, n.category, n.providers), value: `${n.municipalityId}|${n.categoryId}` }));
  if (picks.length) blocks.push({ type: 'actions', controls: [{ kind: 'select', action: 'analysis:gap', placeholder: ANALYSIS.needSelect, options: picks }] });
  blocks.push({ type: 'actions', controls: [{ kind: 'button', action: 'analysis:csv', label: ANALYSIS.exportCsv }, { kind: 'button', action: 'checklist:overview', label: ANALYSIS.checklistOverview }] });
  return { blocks };
}

/** The gap view: the text list, then the heatmap. */
export async function gapReply(ctx: Ctx): Promise<Handled> {
  const no = denied(ctx, 'checklist.overview');
  if (no) return no;
  const view = buildGapView(ctx);
  const date = localDate(ctx.now, ctx.services.config.timeZone);
  const image = await chartReply(ctx, gapHeatmap(view), `gaps-${date}.png`, ANALYSIS.heatmapImageAlt);
  return handled([summaryReply(view), image]);
}

/** The ranked list as CSV (every reported need, gaps first). */
export function gapCsvReply(ctx: Ctx): Handled {
  const no = denied(ctx, 'checklist.export');
  if (no) return no;
  const view = buildGapView(ctx);
  const date = localDate(ctx.now, ctx.services.config.timeZone);
  return handled([{ blocks: [{ type: 'text', text: ANALYSIS.exported(view.needs.length, view.gaps.length) }], file: { name: `gaps-${date}.csv`, mime: 'text/csv', data: gapCsv(view) } }]);
}

/** One gap: what was reported, who serves it, and where to look next. */
export async function gapDetail(ctx: Ctx, value: string): Promise<Handled> {
  const no = denied(ctx, 'checklist.overview');
  if (no) return no;
  const [municipalityId = '', categoryId = ''] = value.split('|');
  const view = buildGapView(ctx);
  const row = view.rows.find((r) => r.municipalityId === municipalityId);
  const category = view.categories.find((c) => c.id === categoryId);
  const cell = row?.cells.find((c) => c.categoryId === categoryId);
  if (!row || !category || !cell) return handled([text(ANALYSIS.needNotFound, { ephemeral: true })]);
  const { kb, config } = ctx.services;
  const caseQuery = needMatcher(kb.taxonomy, loadNeedCategories(config.knowledgeDir, kb.taxonomy)).caseQuery.get(categoryId) ?? category.name;
  const cases = (await searchCases(ctx, parseCaseQuery(kb, caseQuery))).slice(0, 3);
  const wide = view.wide.get(categoryId) ?? 0;
  const blocks: Block[] = [
    { type: 'header', text: `${row.name} × ${category.name}` },
    {
      type: 'fields',
      fields: [
        { label: ANALYSIS.need, value: cell.need ? ANALYSIS.needWord(SOURCE_LABEL[cell.need.source], cell.need.word) : ANALYSIS.notReported },
        { label: ANALYSIS.providers, value: ANALYSIS.providersCount(cell.providers, wide) },
      ],
    },
  ];
  // the providers of this category in each other municipality, beyond the prefecture-wide ones
  // (those are already counted everywhere): where the need could be met by widening an area
  const beyondWide = (r: (typeof view.rows)[number]): number => r.cells.find((c) => c.categoryId === categoryId)!.providers - wide;
  const borders = ctx.services.municipalities.neighboursOf(row.name);
  const neighbours = view.rows.filter((r) => borders.includes(r.name)).map((r) => ({ name: r.name, n: beyondWide(r) }));
  // without the list's neighbours column, the municipalities with the most such providers stand in
  const elsewhere = neighbours.length
    ? [...neighbours].sort((a, b) => b.n - a.n)
    : view.rows
        .filter((r) => r.municipalityId !== row.municipalityId)
        .map((r) => ({ name: r.name, n: beyondWide(r) }))
        .filter((x) => x.n > 0)
        .sort((a, b) => b.n - a.n)
        .slice(0, 5);
  if (neighbours.length) blocks.push({ type: 'text', text: ANALYSIS.providersNextDoor(category.name, neighbours) });
  else if (elsewhere.length) blocks.push({ type: 'text', text: ANALYSIS.providersElsewhere(category.name, elsewhere) });
  const nearby = elsewhere.filter((x) => x.n > 0).slice(0, 2);
  if (cases.length) blocks.push({ type: 'list', title: ANALYSIS.casesHeader(caseQuery), items: cases.map((c) => ANALYSIS.caseLine(c.place, c.title, c.page)) });
  blocks.push({
    type: 'actions',
    controls: [
      { kind: 'button', action: 'cmd', value: `pf-provider ${category.name} ${row.name}`, label: ANALYSIS.providersIn(row.name, category.name), style: 'primary' },
      { kind: 'button', action: 'cmd', value: `pf-provider ${category.name}`, label: ANALYSIS.providersWide(category.name) },
      ...nearby.map((x) => ({ kind: 'button' as const, action: 'cmd', value: `pf-provider ${category.name} ${x.name}`, label: ANALYSIS.providersIn(x.name, category.name) })),
      { kind: 'button', action: 'cmd', value: `pf-case ${caseQuery}`, label: ANALYSIS.findCases(caseQuery) },
    ],
  });
  return handled([{ blocks }]);
}

/** The analysis:* buttons and select (the gap view, its CSV, one gap). */
export async function analysisAction(ctx: Ctx, action: string, value: string, values?: string[]): Promise<Handled> {
  switch (action) {
    case 'analysis:gaps':
      return gapReply(ctx);
    case 'analysis:csv':
      return gapCsvReply(ctx);
    case 'analysis:gap':
      return gapDetail(ctx, values?.[0] ?? value);
    default:
      return handled([text(ANALYSIS.staleAction, { ephemeral: true })]);
  }
}

/** The rest of a command line that asks for the gap view (「空白 CSV」 → 「CSV」), or null when it does not. */
export function gapArgs(args: string): string | null {
  const m = /^(空白|ギャップ|分析)(?:\s+(.*))?$/.exec(normalizeForMatch(args));
  return m ? (m[2] ?? '') : null;
}

/** 「/pf-provider 空白 [CSV]」「/pf 分析 [CSV]」 */
export async function gapCommand(ctx: Ctx, args: string): Promise<Handled> {
  return /^(csv|エクスポート|出力)$/i.test(args.normalize('NFKC').trim()) ? gapCsvReply(ctx) : gapReply(ctx);
}
