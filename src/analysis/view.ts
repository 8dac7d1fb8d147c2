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
    { type: 'header', text: '困りごとと事業者の空白（市町村 × カテゴリ）' },
    {
      type: 'fields',
      fields: [
        { label: '回答済み', value: `${view.answered} / ${view.rows.length} 市町村` },
        { label: '報告された困りごと', value: `${view.needs.length} 件` },
        { label: '空白（事業者 0 件）', value: `${view.gaps.length} 件` },
        { label: '県全域の事業者', value: `のべ ${wideTotal} 件（各市町村に数えています）` },
      ],
    },
    { type: 'list', title: '空白: 困りごとがあるのに事業者がいない', items: view.gaps.length ? view.gaps.slice(0, LISTED).map(needLine) : ['空白はありません。'] },
  ];
  if (view.gaps.length > LISTED) blocks.push({ type: 'context', text: `ほか ${view.gaps.length - LISTED} 件は CSV にあります。` });
  if (thin.length) blocks.push({ type: 'list', title: '事業者が少ない困りごと（1〜2 件）', items: thin.slice(0, 10).map(needLine) });
  blocks.push({
    type: 'context',
    text: '困りごとは、チェックリストの自由記述（Q2 の現状・課題、Q3・Q4 の「その他」）に出てくる語から、多様な主体リストの8カテゴリ（手引き P.26）に当てはめています。事業者数は承認済み（掲載中）の事業者だけで、県全域の事業者を含みます。Q3「接点がない」・Q4「リストの共有」を選んだ市町村を先に並べています。',
  });
  const picks: SelectOption[] = view.needs.slice(0, PICKS).map((n) => ({ label: `${n.municipality} × ${n.category}（${n.providers} 件）`, value: `${n.municipalityId}|${n.categoryId}` }));
  if (picks.length) blocks.push({ type: 'actions', controls: [{ kind: 'select', action: 'analysis:gap', placeholder: '困りごとを選んで事業者・事例を見る', options: picks }] });
  blocks.push({ type: 'actions', controls: [{ kind: 'button', action: 'analysis:csv', label: 'CSV で出力' }, { kind: 'button', action: 'checklist:overview', label: 'チェックリストの集計' }] });
  return { blocks };
}

/** The gap view: the text list, then the heatmap. */
export async function gapReply(ctx: Ctx): Promise<Handled> {
  const no = denied(ctx, 'checklist.overview');
  if (no) return no;
  const view = buildGapView(ctx);
  const date = localDate(ctx.now, ctx.services.config.timeZone);
  const image = await chartReply(ctx, gapHeatmap(view), `gaps-${date}.png`, 'ヒートマップ: 市町村ごとのカテゴリ別の事業者数と、報告された困りごと（●）、空白（赤枠）');
  return handled([summaryReply(view), image]);
}

/** The ranked list as CSV (every reported need, gaps first). */
export function gapCsvReply(ctx: Ctx): Handled {
  const no = denied(ctx, 'checklist.export');
  if (no) return no;
  const view = buildGapView(ctx);
  const date = localDate(ctx.now, ctx.services.config.timeZone);
  return handled([{ blocks: [{ type: 'text', text: `報告された困りごと ${view.needs.length} 件（うち空白 ${view.gaps.length} 件）を、事業者の少ない順に CSV で出力しました。Excel でそのまま開けます。` }], file: { name: `gaps-${date}.csv`, mime: 'text/csv', data: gapCsv(view) } }]);
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
  if (!row || !category || !cell) return handled([text('その困りごとは見つかりませんでした。「/pf-provider 空白」からやり直してください。', { ephemeral: true })]);
  const { kb, config } = ctx.services;
  const caseQuery = needMatcher(kb.taxonomy, loadNeedCategories(config.knowledgeDir, kb.taxonomy)).caseQuery.get(categoryId) ?? category.name;
  const cases = (await searchCases(ctx, parseCaseQuery(kb, caseQuery))).slice(0, 3);
  const wide = view.wide.get(categoryId) ?? 0;
  const blocks: Block[] = [
    { type: 'header', text: `${row.name} × ${category.name}` },
    {
      type: 'fields',
      fields: [
        { label: '困りごと', value: cell.need ? `${SOURCE_LABEL[cell.need.source]}に「${cell.need.word}」` : '報告なし' },
        { label: '事業者', value: `${cell.providers} 件（うち県全域 ${wide} 件）` },
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
  if (neighbours.length) blocks.push({ type: 'text', text: `隣接する市町村の${category.name}の事業者（県全域の事業者を除く）: ${neighbours.map((x) => `${x.name} ${x.n} 件`).join('、')}` });
  else if (elsewhere.length) blocks.push({ type: 'text', text: `${category.name}の事業者が多い市町村（県全域の事業者を除く）: ${elsewhere.map((x) => `${x.name} ${x.n} 件`).join('、')}` });
  const nearby = elsewhere.filter((x) => x.n > 0).slice(0, 2);
  if (cases.length) blocks.push({ type: 'list', title: `この種の困りごとに取り組んだ事例（${caseQuery}）`, items: cases.map((c) => `${c.place}：${c.title}${c.page ? `（手引き P.${c.page}）` : ''}`) });
  blocks.push({
    type: 'actions',
    controls: [
      { kind: 'button', action: 'cmd', value: `pf-provider ${category.name} ${row.name}`, label: `${row.name}の${category.name}の事業者`, style: 'primary' },
      { kind: 'button', action: 'cmd', value: `pf-provider ${category.name}`, label: `${category.name}の事業者（県内全域）` },
      ...nearby.map((x) => ({ kind: 'button' as const, action: 'cmd', value: `pf-provider ${category.name} ${x.name}`, label: `${x.name}の${category.name}の事業者` })),
      { kind: 'button', action: 'cmd', value: `pf-case ${caseQuery}`, label: `事例を探す（${caseQuery}）` },
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
      return handled([text('この操作はもう使えません。「/pf-provider 空白」からやり直してください。', { ephemeral: true })]);
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
