/**
 * /pf-provider: who offers what where. Step by step (category, sub-category, municipality) with
 * selects, or in one line (「/pf-provider 移動販売 行田市」, 「見守りをしてくれる企業は？」).
 * Results are short cards, best first, ten per page with 「1/3」; no result offers a wider search.
 */
import { z } from 'zod';
import { pageIndicator, pageNav } from '../engine/choices.js';
import { flowAction, type FlowDefinition, type StepOutcome } from '../engine/flow-definition.js';
import type { Block, Control, Reply } from '../engine/types.js';
import { nounTokens } from '../retrieval/tokenize.js';
import { providerCard } from './card.js';
import type { Ctx } from './context.js';
import { resolveCategory } from './model.js';
import type { ProviderQuery } from './repository.js';
import { PROVIDERS } from '../messages/providers.js';

/** Ten cards a page: 27 hits are three pages (「1/3」), not six. */
export const PAGE_SIZE = 10;
/** Keywords longer than this are cut, with a message. */
export const MAX_KEYWORD_CHARS = 50;
export const ID = 'provider';
const act = (name: string): string => flowAction(ID, name);

const Query = z.object({
  categoryId: z.string().optional(),
  subcategoryId: z.string().optional(),
  municipality: z.string().optional(),
  keyword: z.string().optional(),
  categoryWords: z.array(z.object({ word: z.string(), categoryId: z.string(), subcategoryId: z.string().optional() })).optional(),
  phrase: z.string().optional(),
});
type Query = z.infer<typeof Query>;
const State = z.object({ at: z.enum(['category', 'subcategory', 'area', 'results']), query: Query, page: z.number().int().min(0) });
type State = z.infer<typeof State>;

function labelOf(ctx: Ctx, q: Query): string {
  const { taxonomy } = ctx.services.kb;
  const cat = taxonomy.categories.find((c) => c.id === q.categoryId);
  const sub = cat?.subcategories.find((s) => s.id === q.subcategoryId);
  const more = (q.categoryWords ?? []).map((c) => `＋${c.word}`).join('');
  return [sub ? `${cat!.name} › ${sub.name}${more}` : cat && `${cat.name}${more}`, q.municipality ?? PROVIDERS.wholePrefecture, q.keyword && `「${q.keyword}」`].filter(Boolean).join('／');
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
  const categoryWords: NonNullable<Query['categoryWords']> = [];
  /** The words other than the place, in the order typed: matched as one phrase first. */
  const phrase: string[] = [];
  const natural = words.length === 1 && /[はをがにで？?]/.test(line);
  const candidates = natural ? nounTokens(line).concat(line.match(/[\p{Script=Han}\p{Script=Katakana}ー・]{2,}/gu) ?? []) : words;
  for (const w of candidates) {
    const m = ctx.services.municipalities.find(w);
    if (!query.municipality && m.length === 1 && (w.length >= 2 || /[市町村]$/.test(w))) {
      query.municipality = m[0]!.name;
      continue;
    }
    const c = !natural || !query.categoryId ? resolveCategory(taxonomy, w) : null;
    if (c && !query.categoryId) {
      query.categoryId = c.categoryId;
      if (c.subcategoryId) query.subcategoryId = c.subcategoryId;
      phrase.push(w);
      continue;
    }
    if (natural) continue;
    phrase.push(w);
    // a second category word (「移動販売 配送」): in that category too, or saying it
    if (c && categoryWords.length < 4) categoryWords.push({ word: w, categoryId: c.categoryId, ...(c.subcategoryId ? { subcategoryId: c.subcategoryId } : {}) });
    else rest.push(w);
  }
  if (categoryWords.length) query.categoryWords = categoryWords;
  if (phrase.length > 1) query.phrase = phrase.join(' ').slice(0, MAX_KEYWORD_CHARS);
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
    if (s.query.keyword || s.query.categoryWords?.length) wider.push({ kind: 'button', action: act('widen'), value: 'keyword', label: PROVIDERS.widenKeyword });
    wider.push({ kind: 'button', action: act('restart'), label: PROVIDERS.restart });
    blocks.push({ type: 'text', text: PROVIDERS.searchNone(labelOf(ctx, s.query)) }, { type: 'actions', controls: wider });
    return { blocks };
  }
  const pages = Math.ceil(page.total / PAGE_SIZE);
  blocks.push(
    { type: 'header', text: PROVIDERS.searchResults(labelOf(ctx, s.query), page.total, pages > 1 ? pageIndicator(s.page, pages) : null) },
    ...page.items.map((p) => providerCard(ctx, p)),
    { type: 'context', text: PROVIDERS.searchPage(pageIndicator(s.page, pages)) },
  );
  // 前へ／次へ at their fixed places (only when there is more than one page), then the rest
  const nav: Control[] = pages > 1 ? pageNav(act('page'), s.page, pages, { previous: PROVIDERS.previous, next: PROVIDERS.nextPage }) : [];
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
        if (v === 'category') {
          delete q.subcategoryId;
          delete q.phrase;
        }
        if (v === 'keyword') {
          delete q.keyword;
          delete q.categoryWords;
          delete q.phrase;
        }
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
