/**
 * /pf-provider: who offers what where. Step by step (category, sub-category, municipality) with
 * selects, or in one line (「/pf-provider 移動販売 行田市」, 「見守りをしてくれる企業は？」).
 * Results are short cards, best first, five per page; no result offers a wider search.
 */
import { z } from 'zod';
import { flowAction, type FlowDefinition, type StepOutcome } from '../engine/flow.js';
import type { Block, Control, Reply } from '../engine/types.js';
import { nounTokens } from '../retrieval/tokenize.js';
import { providerCard } from './card.js';
import type { Ctx } from './context.js';
import { resolveCategory } from './model.js';
import type { ProviderQuery } from './repository.js';
import { PROVIDERS } from '../messages/providers.js';

export const PAGE_SIZE = 5;
/** Keywords longer than this are cut, with a message. */
export const MAX_KEYWORD_CHARS = 50;
export const ID = 'provider';
const act = (name: string): string => flowAction(ID, name);

const Query = z.object({ categoryId: z.string().optional(), subcategoryId: z.string().optional(), municipality: z.string().optional(), keyword: z.string().optional() });
type Query = z.infer<typeof Query>;
const State = z.object({ at: z.enum(['category', 'subcategory', 'area', 'results']), query: Query, page: z.number().int().min(0) });
type State = z.infer<typeof State>;

function labelOf(ctx: Ctx, q: Query): string {
  const { taxonomy } = ctx.services.kb;
  const cat = taxonomy.categories.find((c) => c.id === q.categoryId);
  const sub = cat?.subcategories.find((s) => s.id === q.subcategoryId);
  return [sub ? `${cat!.name} › ${sub.name}` : cat?.name, q.municipality ?? PROVIDERS.wholePrefecture, q.keyword && `「${q.keyword}」`].filter(Boolean).join('／');
}

/** Splits one line into category, municipality and keyword. */
export function parseProviderQuery(ctx: Ctx, input: string): { query: Query; notes: string[] } {
  const { taxonomy } = ctx.services.kb;
  const notes: string[] = [];
  let line = input.normalize('NFKC').trim();
  if (line.length > 200) {
    line = line.slice(0, 200);
    notes.push(PROVIDERS.inputCut);
  }
  const query: Query = {};
  const words = line.split(/[\s、,，]+/).filter(Boolean);
  const rest: string[] = [];
  const natural = words.length === 1 && /[はをがにで？?]/.test(line);
  const candidates = natural ? nounTokens(line).concat(line.match(/[\p{Script=Han}\p{Script=Katakana}ー・]{2,}/gu) ?? []) : words;
  for (const w of candidates) {
    const m = ctx.services.municipalities.find(w);
    if (!query.municipality && m.length === 1 && (w.length >= 2 || /[市町村]$/.test(w))) {
      query.municipality = m[0]!.name;
      continue;
    }
    const c = !query.categoryId ? resolveCategory(taxonomy, w) : null;
    if (c) {
      query.categoryId = c.categoryId;
      if (c.subcategoryId) query.subcategoryId = c.subcategoryId;
      continue;
    }
    if (!natural) rest.push(w);
  }
  if (natural && !query.categoryId) {
    // a sentence without a category word: search its nouns as keywords
    rest.push(...nounTokens(line).filter((n) => !/^(企業|事業者|会社|団体|お店|店|サービス|人|方)$/.test(n)));
  }
  let keyword = rest.join(' ').replace(/["'*():^]/g, ' ').trim();
  if (keyword.length > MAX_KEYWORD_CHARS) {
    keyword = keyword.slice(0, MAX_KEYWORD_CHARS);
    notes.push(PROVIDERS.keywordCut(MAX_KEYWORD_CHARS));
  }
  if (keyword) query.keyword = keyword;
  return { query, notes };
}

function categoryStep(ctx: Ctx, hint?: string): Reply {
  const { taxonomy } = ctx.services.kb;
  return {
    blocks: [
      { type: 'header', text: PROVIDERS.searchHeader },
      ...(hint ? [{ type: 'context' as const, text: hint }] : []),
      { type: 'text', text: PROVIDERS.searchCategory },
      { type: 'actions', controls: [{ kind: 'select', action: act('category'), placeholder: PROVIDERS.chooseCategory, options: taxonomy.categories.map((c) => ({ label: c.name, value: c.id, description: c.subcategories.slice(0, 3).map((s) => s.name).join('・') })) }] },
      { type: 'actions', controls: [{ kind: 'button', action: act('cancel'), label: PROVIDERS.quit }] },
    ],
  };
}

function subcategoryStep(ctx: Ctx, s: State): Reply {
  const cat = ctx.services.kb.taxonomy.categories.find((c) => c.id === s.query.categoryId)!;
  return {
    blocks: [
      { type: 'text', text: PROVIDERS.searchSubcategory(cat.name) },
      { type: 'actions', controls: [{ kind: 'select', action: act('subcategory'), placeholder: PROVIDERS.chooseSubcategory, options: cat.subcategories.map((x) => ({ label: x.name, value: x.id })) }] },
      { type: 'actions', controls: [{ kind: 'button', action: act('subcategory'), value: '*', label: PROVIDERS.searchWholeCategory(cat.name) }, { kind: 'button', action: act('back'), label: PROVIDERS.back }] },
    ],
  };
}

function areaStep(ctx: Ctx, s: State): Reply {
  const list = ctx.services.municipalities.all(Boolean(ctx.services.config.municipalitiesFile));
  return {
    blocks: [
      { type: 'text', text: PROVIDERS.searchArea(labelOf(ctx, s.query)) },
      ...(list.length ? [{ type: 'actions' as const, controls: [{ kind: 'select' as const, action: act('area'), placeholder: PROVIDERS.chooseOneMunicipality, options: list.slice(0, 100).map((m) => ({ label: m.name, value: m.name })) }] }] : []),
      { type: 'actions', controls: [{ kind: 'button', action: act('area'), value: '*', label: PROVIDERS.searchWholePrefecture }, { kind: 'button', action: act('back'), label: PROVIDERS.back }] },
    ],
  };
}

function resultsReply(ctx: Ctx, s: State, notes: string[] = []): Reply {
  const q: ProviderQuery = { ...s.query };
  const page = ctx.services.providers.search(q, s.page, PAGE_SIZE);
  const blocks: Block[] = notes.map((n) => ({ type: 'context' as const, text: n }));
  if (!page.total) {
    const wider: Control[] = [];
    if (s.query.municipality) wider.push({ kind: 'button', action: act('widen'), value: 'area', label: PROVIDERS.widenArea });
    if (s.query.subcategoryId) wider.push({ kind: 'button', action: act('widen'), value: 'category', label: PROVIDERS.widenCategory });
    if (s.query.keyword) wider.push({ kind: 'button', action: act('widen'), value: 'keyword', label: PROVIDERS.widenKeyword });
    wider.push({ kind: 'button', action: act('restart'), label: PROVIDERS.restart });
    blocks.push({ type: 'text', text: PROVIDERS.searchNone(labelOf(ctx, s.query)) }, { type: 'actions', controls: wider });
    return { blocks };
  }
  const pages = Math.ceil(page.total / PAGE_SIZE);
  blocks.push({ type: 'header', text: PROVIDERS.searchResults(labelOf(ctx, s.query), page.total) }, ...page.items.map((p) => providerCard(ctx, p)), { type: 'context', text: PROVIDERS.searchPage(s.page + 1, pages) });
  const nav: Control[] = [];
  if (s.page > 0) nav.push({ kind: 'button', action: act('page'), value: String(s.page - 1), label: PROVIDERS.previous });
  if (s.page < pages - 1) nav.push({ kind: 'button', action: act('page'), value: String(s.page + 1), label: PROVIDERS.nextPage });
  nav.push({ kind: 'button', action: act('restart'), label: PROVIDERS.changeConditions });
  blocks.push({ type: 'actions', controls: nav });
  return { blocks };
}

function results(ctx: Ctx, s: State, notes: string[] = []): StepOutcome<State> {
  return { state: { ...s, at: 'results' }, replies: [resultsReply(ctx, { ...s, at: 'results' }, notes)], sameStep: s.at === 'results' };
}

export const providerSearchFlow: FlowDefinition<State, Ctx> = {
  id: ID,
  name: PROVIDERS.searchFlowName,
  version: 1,
  schema: State,
  capturesText: false,
  start(ctx, args) {
    if (!args.trim()) return { state: { at: 'category', query: {}, page: 0 }, replies: [categoryStep(ctx)] };
    const { query, notes } = parseProviderQuery(ctx, args);
    return results(ctx, { at: 'category', query, page: 0 }, notes);
  },
  step(s, input, ctx) {
    if (input.kind !== 'action') return { state: s, replies: this.render(s, ctx), sameStep: true };
    const name = input.action.split(':')[2];
    const v = input.values?.[0] ?? input.value;
    const { taxonomy } = ctx.services.kb;
    switch (name) {
      case 'category': {
        if (!taxonomy.categories.some((c) => c.id === v)) return { state: s, replies: [categoryStep(ctx, PROVIDERS.chooseCategoryHint)], sameStep: true };
        const next: State = { at: 'subcategory', query: { categoryId: v }, page: 0 };
        return { state: next, replies: [subcategoryStep(ctx, next)] };
      }
      case 'subcategory': {
        const cat = taxonomy.categories.find((c) => c.id === s.query.categoryId);
        if (!cat || (v !== '*' && !cat.subcategories.some((x) => x.id === v))) return { state: s, replies: this.render(s, ctx), sameStep: true };
        const next: State = { at: 'area', query: { categoryId: cat.id, ...(v !== '*' ? { subcategoryId: v } : {}) }, page: 0 };
        return { state: next, replies: [areaStep(ctx, next)] };
      }
      case 'area': {
        const { municipality: _m, ...rest } = s.query;
        void _m;
        return results(ctx, { at: 'area', query: v === '*' ? rest : { ...rest, municipality: v }, page: 0 });
      }
      case 'page':
        return results(ctx, { ...s, page: Math.max(0, Number(v) || 0) });
      case 'widen': {
        const q = { ...s.query };
        if (v === 'area') delete q.municipality;
        if (v === 'category') delete q.subcategoryId;
        if (v === 'keyword') delete q.keyword;
        return results(ctx, { at: 'area', query: q, page: 0 });
      }
      case 'restart':
        return { state: { at: 'category', query: {}, page: 0 }, replies: [categoryStep(ctx)] };
      default:
        return { state: s, replies: this.render(s, ctx), sameStep: true };
    }
  },
  render(s, ctx) {
    if (s.at === 'subcategory') return [subcategoryStep(ctx, s)];
    if (s.at === 'area') return [areaStep(ctx, s)];
    if (s.at === 'results') return [resultsReply(ctx, s)];
    return [categoryStep(ctx)];
  },
};
