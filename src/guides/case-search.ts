/**
 * /pf-case: the case library, filtered by prefecture/municipality, by platform function and by
 * theme, or by free words; results as short cards (place, actors, what was done, figures, pages),
 * five per page.
 */
import { z } from 'zod';
import { citationOf } from '../knowledge/citation.js';
import type { Ctx } from './context.js';
import { pageNav } from '../engine/choices.js';
import { flowAction, type FlowDefinition, type StepOutcome } from '../engine/flow-definition.js';
import type { Block, Control, Reply } from '../engine/types.js';
import type { KnowledgeBase } from '../knowledge/load.js';
import { normalizeForMatch, toKatakana } from '../knowledge/normalize.js';
import { GlossaryExpander, GROUP_WEIGHT } from '../retrieval/glossary.js';
import type { SynonymDictionary } from '../retrieval/synonyms.js';
import { normalizeWord, wordTokens } from '../retrieval/tokenize.js';
import type { CaseRecord } from '../knowledge/schema.js';
import { GUIDES } from '../messages/guides.js';

export const PAGE_SIZE = 5;
const ID = 'case';
const act = (name: string): string => flowAction(ID, name);

const Filters = z.object({
  place: z.string().optional(),
  fn: z.string().optional(),
  theme: z.string().optional(),
  words: z.string().max(200).optional(),
});
type Filters = z.infer<typeof Filters>;
const State = z.object({ filters: Filters, page: z.number().int().min(0), view: z.enum(['menu', 'results', 'detail']), caseId: z.string().optional() });
type State = z.infer<typeof State>;

/** Words that name a function: its names and the words users use for it. */
const FUNCTION_WORDS: Record<string, string[]> = {
  training: ['研修', 'セミナー', '勉強会'],
  casebook: ['事例集'],
  'provider-list': ['多様な主体リスト', 'リスト', 'マップ', '名簿', '登録制度'],
  guidebook: ['ガイドブック', '手引き作り'],
  accompaniment: ['伴走支援', '伴走', 'アドバイザー'],
  event: ['イベント', 'マッチング', '交流会', 'ガバメントピッチ', '情報交換会', 'ワーキング'],
};

const places = (kb: KnowledgeBase): string[] => [...new Set(kb.cases.flatMap((c) => [c.prefecture, c.municipality].filter((x): x is string => Boolean(x))))];

/** Splits free words into filters where a word names a place, a function or a theme. */
export function parseCaseQuery(kb: KnowledgeBase, input: string): Filters {
  const filters: Filters = {};
  const rest: string[] = [];
  for (const raw of normalizeForMatch(input).split(/[\s、,，]+/).filter(Boolean)) {
    const w = raw.replace(/(の事例|事例|の取組|の例)$/, '');
    if (!w) continue;
    const place = places(kb).find((p) => p === w || p.replace(/(都|道|府|県|市|町|村)$/, '') === w.replace(/(都|道|府|県|市|町|村)$/, ''));
    if (place && !filters.place) {
      filters.place = place;
      continue;
    }
    const fn = kb.functions.find((f) => f.shortName === w || f.name === w || (FUNCTION_WORDS[f.id] ?? []).includes(w));
    if (fn && !filters.fn) {
      filters.fn = fn.id;
      continue;
    }
    const theme = kb.caseThemes.find((t) => t === w || t.includes(w) || (w.length >= 2 && normalizeForMatch(t).includes(w)));
    if (theme && !filters.theme) {
      filters.theme = theme;
      continue;
    }
    rest.push(w);
  }
  if (rest.length) filters.words = rest.join(' ').slice(0, 200);
  return filters;
}

/** What a message asking for cases (「沖縄県の事例を探して」) searches for: the message without the request. */
export function caseQueryOf(message: string): string {
  return message.replace(/(事例|取組例)(を|の)?(探して|検索して|一覧|見せて|見たい|教えて|知りたい).*$/, '').trim();
}

/** Autocomplete for a case filter: the places, functions and themes the cases have. */
export function completeCaseFilter(kb: KnowledgeBase, typed: string): string[] {
  const candidates = [...new Set([...kb.cases.flatMap((c) => [c.prefecture, c.municipality]).filter((x): x is string => Boolean(x)), ...kb.functions.map((f) => f.shortName), ...kb.caseThemes])];
  return candidates.filter((c) => !typed || c.includes(typed));
}

/** Text folded for keyword matching: NFKC, lower case, katakana for hiragana, no long-vowel marks, no spaces. */
const fold = (text: string): string => toKatakana(normalizeForMatch(text)).replace(/[ー\s]/g, '');

/** The glossary's spellings of one thing (readings, variants, abbreviations: 買物 = 買い物), built once per knowledge base. */
const spellings = new WeakMap<KnowledgeBase, GlossaryExpander>();
function spellingsOf(kb: KnowledgeBase, word: string): string[] {
  let g = spellings.get(kb);
  if (!g) spellings.set(kb, (g = new GlossaryExpander(kb.glossary)));
  return g.matches(word).filter((m) => m.weight >= GROUP_WEIGHT.abbreviation && fold(m.matched) === fold(word)).flatMap((m) => m.equivalents);
}

/**
 * Whether a case's text says the keyword: the word itself, another spelling of it from the
 * glossary, one of the forms the retrieval's synonym dictionary gives for it (each form's words
 * all present), or, for a compound the segmenter splits (「高齢者見守り」), each of its words in
 * one of those ways.
 */
function mentions(kb: KnowledgeBase, haystack: string, word: string, synonyms: SynonymDictionary | undefined): boolean {
  const says = (w: string): boolean =>
    haystack.includes(fold(w)) ||
    spellingsOf(kb, w).some((x) => haystack.includes(fold(x))) ||
    (synonyms?.expand(normalizeWord(w)) ?? []).some((form) => form.every((t) => haystack.includes(fold(t))));
  if (says(word)) return true;
  const parts = wordTokens(word);
  return parts.length > 1 && parts.every(says);
}

/**
 * Cases matching the filters, best first. Free words must be said by the case (its title, place,
 * summary, facts, actors or themes), directly or through the synonym dictionary; the document
 * search only orders the cases that do (it finds something for any word, so it cannot admit one).
 */
export async function searchCases(ctx: Ctx, f: Filters): Promise<CaseRecord[]> {
  const { kb, assistant } = ctx.services;
  let cases = kb.cases.filter(
    (c) =>
      (!f.place || c.prefecture === f.place || c.municipality === f.place || c.place.includes(f.place)) &&
      (!f.fn || c.functions.includes(f.fn)) &&
      (!f.theme || c.themes.includes(f.theme)),
  );
  if (f.words) {
    const words = f.words.split(' ').filter(Boolean);
    const { search } = assistant.index;
    const synonyms = search.fields.synonyms;
    const said = new Map(cases.map((c) => [c.id, words.filter((w) => mentions(kb, fold([c.title, c.place, c.summary, ...c.facts, ...c.actors, ...c.themes].join(' ')), w, synonyms)).length]));
    cases = cases.filter((c) => said.get(c.id) === words.length);
    if (!cases.length) return [];
    const hits = (await search.search(f.words, 30)).hits;
    const rank = new Map<string, number>();
    hits.forEach((h, i) => h.meta.caseIds.forEach((id) => rank.has(id) || rank.set(id, i)));
    cases.sort((a, b) => (rank.get(a.id) ?? 99) - (rank.get(b.id) ?? 99));
  }
  return cases;
}

function describeFilters(kb: KnowledgeBase, f: Filters): string {
  const parts = [
    f.place && GUIDES.caseFilterPlace(f.place),
    f.fn && GUIDES.caseFilterFunction(kb.functions.find((x) => x.id === f.fn)?.shortName),
    f.theme && GUIDES.caseFilterTheme(f.theme),
    f.words && GUIDES.caseFilterWords(f.words),
  ].filter(Boolean);
  return parts.length ? parts.join('／') : GUIDES.caseAll;
}

function card(kb: KnowledgeBase, c: CaseRecord): Block {
  const fns = c.functions.map((id) => kb.functions.find((f) => f.id === id)?.shortName).filter(Boolean);
  const doc = kb.documents.find((d) => d.source === c.source);
  const where = c.page ? GUIDES.caseHandbookPage(c.page) : (doc?.header.shortTitle ?? c.source);
  return {
    type: 'text',
    text: [`■ ${c.place}｜${c.title}（${where}）`, GUIDES.caseCardActors(c.actors.slice(0, 4).join('、')), GUIDES.caseCardSummary(c.summary), GUIDES.caseCardFact(c.facts[0]), fns.length ? GUIDES.caseCardFunctions(fns.join('・')) : ''].filter(Boolean).join('\n'),
  };
}

/** Searches that do find cases, offered when one finds none: the themes with the most cases. */
function suggestions(kb: KnowledgeBase): Control[] {
  const count = (t: string): number => kb.cases.filter((c) => c.themes.includes(t)).length;
  return [...kb.caseThemes].sort((a, b) => count(b) - count(a)).slice(0, 4).map((t) => ({ kind: 'button', action: act('theme'), value: t, label: t.slice(0, 40) }));
}

function menu(kb: KnowledgeBase, hint?: string, suggested: Control[] = []): Reply {
  const controls: Control[] = [
    { kind: 'select', action: act('place'), placeholder: GUIDES.caseByPlace, options: places(kb).map((p) => ({ label: p, value: p })) },
    { kind: 'select', action: act('fn'), placeholder: GUIDES.caseByFunction, options: kb.functions.map((f) => ({ label: f.shortName, value: f.id, description: `P.${f.page}` })) },
    { kind: 'select', action: act('theme'), placeholder: GUIDES.caseByTheme, options: kb.caseThemes.map((t) => ({ label: t, value: t })) },
  ];
  return {
    blocks: [
      { type: 'header', text: GUIDES.findCases },
      ...(hint ? [{ type: 'text' as const, text: hint }] : []),
      ...(suggested.length ? [{ type: 'context' as const, text: GUIDES.caseSuggestions }, { type: 'actions' as const, controls: suggested }] : []),
      { type: 'text', text: GUIDES.caseMenuText(kb.cases.length) },
      { type: 'actions', controls },
      { type: 'actions', controls: [{ kind: 'button', action: act('all'), label: GUIDES.caseShowAll }, { kind: 'button', action: act('cancel'), label: GUIDES.close }] },
    ],
  };
}

async function results(ctx: Ctx, state: State): Promise<StepOutcome<State>> {
  const { kb } = ctx.services;
  const found = await searchCases(ctx, state.filters);
  if (!found.length) {
    // the menu starts over: a choice made there must not be narrowed by the words that found nothing
    return { state: { filters: {}, view: 'menu', page: 0 }, replies: [menu(kb, GUIDES.caseNone(describeFilters(kb, state.filters)), suggestions(kb))] };
  }
  const pages = Math.ceil(found.length / PAGE_SIZE);
  const page = Math.min(state.page, pages - 1);
  const shown = found.slice(page * PAGE_SIZE, page * PAGE_SIZE + PAGE_SIZE);
  // 前へ／次へ first, at their fixed places; the cases to open and 条件を変える after them
  const nav: Control[] = pages > 1 ? pageNav(act('page'), page, pages) : [];
  const blocks: Block[] = [
    { type: 'header', text: GUIDES.caseResults(found.length, describeFilters(kb, state.filters)) },
    ...shown.map((c) => card(kb, c)),
    { type: 'context', text: GUIDES.pageOf(page + 1, pages) },
    ...(nav.length ? [{ type: 'actions' as const, controls: nav }] : []),
    { type: 'actions', controls: [{ kind: 'select', action: act('open'), placeholder: GUIDES.caseOpenSelect, options: shown.map((c) => ({ label: `${c.place}｜${c.title}`.slice(0, 75), value: c.id })) }] },
    { type: 'actions', controls: [{ kind: 'button', action: act('menu'), label: GUIDES.changeConditions }] },
  ];
  return { state: { ...state, view: 'results', page }, replies: [{ blocks }], sameStep: state.view === 'results' };
}

function detail(ctx: Ctx, c: CaseRecord): Reply {
  const { kb } = ctx.services;
  const doc = kb.documents.find((d) => d.source === c.source);
  const passages = kb.passages.filter((p) => p.source === c.source && p.sectionId === c.sectionId);
  const fns = c.functions.map((id) => kb.functions.find((f) => f.id === id)).filter((f): f is NonNullable<typeof f> => Boolean(f));
  return {
    blocks: [
      { type: 'header', text: `${c.place}｜${c.title}` },
      { type: 'fields', fields: [{ label: GUIDES.casePlace, value: `${c.place}${c.placeNote ? `（${c.placeNote}）` : ''}` }, { label: GUIDES.caseSource, value: `${doc?.header.shortTitle ?? c.source}${c.page ? ` P.${c.page}` : ''}` }] },
      { type: 'list', title: GUIDES.caseActors, items: c.actors },
      { type: 'list', title: GUIDES.caseSummary, items: [c.summary] },
      { type: 'list', title: GUIDES.caseFacts, items: c.facts },
      ...(fns.length ? [{ type: 'list' as const, title: GUIDES.caseFunctions, items: fns.map((f) => `${f.name}（P.${f.page}）`) }] : []),
      { type: 'citations', citations: passages.slice(0, 3).map((p) => citationOf(kb, p)) },
      { type: 'actions', controls: [{ kind: 'button', action: act('page'), value: 'back', label: GUIDES.backToList }, { kind: 'button', action: act('cancel'), label: GUIDES.close }] },
    ],
  };
}

export const caseSearchFlow: FlowDefinition<State, Ctx> = {
  id: ID,
  name: GUIDES.caseFlowName,
  version: 1,
  schema: State,
  capturesText: false,
  async start(ctx, args) {
    const filters = parseCaseQuery(ctx.services.kb, args);
    if (!args.trim()) return { state: { filters: {}, page: 0, view: 'menu' }, replies: [menu(ctx.services.kb)] };
    return results(ctx, { filters, page: 0, view: 'menu' });
  },
  async step(state, input, ctx) {
    if (input.kind !== 'action') return { state, replies: this.render(state, ctx), sameStep: true };
    const name = input.action.split(':')[2];
    switch (name) {
      case 'place':
      case 'fn':
      case 'theme':
        return results(ctx, { filters: { ...state.filters, [name]: input.value }, page: 0, view: 'menu' });
      case 'all':
        return results(ctx, { filters: {}, page: 0, view: 'menu' });
      case 'page':
        return results(ctx, { ...state, page: input.value === 'back' ? state.page : Math.max(0, Number(input.value) || 0), view: input.value === 'back' ? 'menu' : 'results' });
      case 'menu':
        return { state: { filters: {}, page: 0, view: 'menu' }, replies: [menu(ctx.services.kb)] };
      case 'open': {
        const c = ctx.services.kb.cases.find((x) => x.id === input.value);
        if (!c) return { state, replies: [menu(ctx.services.kb, GUIDES.caseNotFound)], sameStep: true };
        return { state: { ...state, view: 'detail', caseId: c.id }, replies: [detail(ctx, c)] };
      }
      default:
        return { state, replies: this.render(state, ctx), sameStep: true };
    }
  },
  render(state, ctx) {
    const c = state.caseId ? ctx.services.kb.cases.find((x) => x.id === state.caseId) : undefined;
    if (state.view === 'detail' && c) return [detail(ctx, c)];
    return [menu(ctx.services.kb)];
  },
};
