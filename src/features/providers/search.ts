/**
 * /pf-provider: who offers what where. Step by step (category, sub-category, municipality) with
 * selects, or in one line (「/pf-provider 移動販売 行田市」, 「見守りをしてくれる企業は？」).
 * Results are short cards, best first, five per page; no result offers a wider search.
 */
import { z } from 'zod';
import { isAdmin } from '../../engine/auth.js';
import { handled, type Ctx, type Handled } from '../../engine/context.js';
import { flowAction, type FlowDefinition, type StepOutcome } from '../../engine/flow.js';
import type { Block, Control, Reply } from '../../engine/types.js';
import { text } from '../../engine/types.js';
import { normalizeForMatch } from '../../knowledge/normalize.js';
import { resolveCategory, STATUS_LABEL, type Provider } from '../../providers/model.js';
import type { ProviderQuery } from '../../providers/store.js';
import { nounTokens } from '../../retrieval/tokenize.js';
import { exportProvidersReply, importHelp, pendingReply, templateReply } from './admin.js';
import { gapCommand } from '../analysis/gaps.js';

export const PAGE_SIZE = 5;
/** Keywords longer than this are cut, with a message. */
export const MAX_KEYWORD_CHARS = 50;
const ID = 'provider';
const act = (name: string): string => flowAction(ID, name);

const Query = z.object({ categoryId: z.string().optional(), subcategoryId: z.string().optional(), municipality: z.string().optional(), keyword: z.string().optional() });
type Query = z.infer<typeof Query>;
const State = z.object({ at: z.enum(['category', 'subcategory', 'area', 'results']), query: Query, page: z.number().int().min(0) });
type State = z.infer<typeof State>;

function labelOf(ctx: Ctx, q: Query): string {
  const { taxonomy } = ctx.services.kb;
  const cat = taxonomy.categories.find((c) => c.id === q.categoryId);
  const sub = cat?.subcategories.find((s) => s.id === q.subcategoryId);
  return [sub ? `${cat!.name} › ${sub.name}` : cat?.name, q.municipality ?? '県内全域', q.keyword && `「${q.keyword}」`].filter(Boolean).join('／');
}

/** Splits one line into category, municipality and keyword. */
export function parseProviderQuery(ctx: Ctx, input: string): { query: Query; notes: string[] } {
  const { taxonomy } = ctx.services.kb;
  const notes: string[] = [];
  let line = input.normalize('NFKC').trim();
  if (line.length > 200) {
    line = line.slice(0, 200);
    notes.push('入力が長すぎたため、先頭の200文字で検索しました。');
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
    notes.push(`キーワードが長すぎたため、先頭の${MAX_KEYWORD_CHARS}文字で検索しました。`);
  }
  if (keyword) query.keyword = keyword;
  return { query, notes };
}

export function providerCard(ctx: Ctx, p: Provider): Block {
  const { taxonomy } = ctx.services.kb;
  const subs = p.categories.map((c) => taxonomy.categories.find((x) => x.id === c.categoryId)?.subcategories.find((s) => s.id === c.subcategoryId)?.name).filter(Boolean);
  const area = p.wholePrefecture ? '県内全域' : p.areas.length ? p.areas.join('、') : '（地域の記載なし）';
  const contact = [p.phone && `☎ ${p.phone}`, p.url, p.email].filter(Boolean).join('　') || '（連絡先の登録なし）';
  const offer = (p.services || p.description).replace(/\s+/g, ' ');
  return {
    type: 'text',
    text: [`■ ${p.name}（${p.orgType}）${p.status !== 'approved' ? `［${STATUS_LABEL[p.status]}］` : ''}`, `提供: ${subs.join('・')}`, `内容: ${offer.length > 120 ? `${offer.slice(0, 120)}…` : offer}`, `地域: ${area}`, `連絡先: ${contact}`, `情報源: ${p.source}`].join('\n'),
  };
}

function categoryStep(ctx: Ctx, hint?: string): Reply {
  const { taxonomy } = ctx.services.kb;
  return {
    blocks: [
      { type: 'header', text: '多様な主体（事業者）を探す' },
      ...(hint ? [{ type: 'context' as const, text: hint }] : []),
      { type: 'text', text: 'カテゴリを選んでください（埼玉県「プラチナ・サポート・ショップ」の8カテゴリ、手引き P.26）。「/pf-provider 移動販売 行田市」のように1行で探すこともできます。' },
      { type: 'actions', controls: [{ kind: 'select', action: act('category'), placeholder: 'カテゴリを選ぶ', options: taxonomy.categories.map((c) => ({ label: c.name, value: c.id, description: c.subcategories.slice(0, 3).map((s) => s.name).join('・') })) }] },
      { type: 'actions', controls: [{ kind: 'button', action: act('cancel'), label: 'やめる' }] },
    ],
  };
}

function subcategoryStep(ctx: Ctx, s: State): Reply {
  const cat = ctx.services.kb.taxonomy.categories.find((c) => c.id === s.query.categoryId)!;
  return {
    blocks: [
      { type: 'text', text: `「${cat.name}」のどれを探しますか？` },
      { type: 'actions', controls: [{ kind: 'select', action: act('subcategory'), placeholder: 'サブカテゴリを選ぶ', options: cat.subcategories.map((x) => ({ label: x.name, value: x.id })) }] },
      { type: 'actions', controls: [{ kind: 'button', action: act('subcategory'), value: '*', label: `「${cat.name}」全体で探す` }, { kind: 'button', action: act('back'), label: '戻る' }] },
    ],
  };
}

function areaStep(ctx: Ctx, s: State): Reply {
  const list = ctx.services.municipalities.all(Boolean(ctx.services.config.municipalitiesFile));
  return {
    blocks: [
      { type: 'text', text: `どの市町村で探しますか？（${labelOf(ctx, s.query)}）` },
      ...(list.length ? [{ type: 'actions' as const, controls: [{ kind: 'select' as const, action: act('area'), placeholder: '市町村を選ぶ', options: list.slice(0, 100).map((m) => ({ label: m.name, value: m.name })) }] }] : []),
      { type: 'actions', controls: [{ kind: 'button', action: act('area'), value: '*', label: '県内全域で探す' }, { kind: 'button', action: act('back'), label: '戻る' }] },
    ],
  };
}

function resultsReply(ctx: Ctx, s: State, notes: string[] = []): Reply {
  const q: ProviderQuery = { ...s.query };
  const page = ctx.services.providers.search(q, s.page, PAGE_SIZE);
  const blocks: Block[] = notes.map((n) => ({ type: 'context' as const, text: n }));
  if (!page.total) {
    const wider: Control[] = [];
    if (s.query.municipality) wider.push({ kind: 'button', action: act('widen'), value: 'area', label: '県内全域に広げる' });
    if (s.query.subcategoryId) wider.push({ kind: 'button', action: act('widen'), value: 'category', label: 'カテゴリ全体に広げる' });
    if (s.query.keyword) wider.push({ kind: 'button', action: act('widen'), value: 'keyword', label: 'キーワードを外す' });
    wider.push({ kind: 'button', action: act('restart'), label: '条件を選び直す' });
    blocks.push({ type: 'text', text: `「${labelOf(ctx, s.query)}」に当てはまる事業者は見つかりませんでした。条件を広げて探しますか？` }, { type: 'actions', controls: wider });
    return { blocks };
  }
  const pages = Math.ceil(page.total / PAGE_SIZE);
  blocks.push({ type: 'header', text: `${labelOf(ctx, s.query)}：${page.total} 件` }, ...page.items.map((p) => providerCard(ctx, p)), { type: 'context', text: `${s.page + 1} / ${pages} ページ（掲載中の事業者のみ表示）` });
  const nav: Control[] = [];
  if (s.page > 0) nav.push({ kind: 'button', action: act('page'), value: String(s.page - 1), label: '← 前へ' });
  if (s.page < pages - 1) nav.push({ kind: 'button', action: act('page'), value: String(s.page + 1), label: '次へ →' });
  nav.push({ kind: 'button', action: act('restart'), label: '条件を変える' });
  blocks.push({ type: 'actions', controls: nav });
  return { blocks };
}

function results(ctx: Ctx, s: State, notes: string[] = []): StepOutcome<State> {
  return { state: { ...s, at: 'results' }, replies: [resultsReply(ctx, { ...s, at: 'results' }, notes)], sameStep: s.at === 'results' };
}

export const providerSearchFlow: FlowDefinition<State, Ctx> = {
  id: ID,
  name: '事業者検索',
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
        if (!taxonomy.categories.some((c) => c.id === v)) return { state: s, replies: [categoryStep(ctx, 'カテゴリを選んでください。')], sameStep: true };
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

/** /pf-provider [登録|承認待ち|空白|エクスポート|インポート|テンプレート|<条件>] */
export async function providerCommand(ctx: Ctx, args: string): Promise<Handled> {
  const a = normalizeForMatch(args);
  if (/^(登録|登録したい|申し込み|申込)$/.test(a)) return ctx.runtime.start(ctx, 'provider-register', '');
  if (/^(承認待ち|審査|pending)$/.test(a)) return pendingReply(ctx);
  const gaps = /^(空白|ギャップ|分析)(?:\s+(.*))?$/.exec(a);
  if (gaps) return gapCommand(ctx, gaps[2] ?? '');
  if (/^(エクスポート|export|csv出力|出力)$/.test(a)) return exportProvidersReply(ctx);
  if (/^(テンプレート|template|ひな形|雛形)$/.test(a)) return templateReply(ctx);
  if (/^(インポート|import|取り込み|取込)$/.test(a)) return importHelp(ctx);
  if (/^(インポート|import|取り込み|取込)\s/.test(a)) return handled([text(isAdmin(ctx.services, ctx.actor) ? 'CSV ファイルを添付して送ってください（チャットでは、ファイルに「/pf-provider インポート」と添えて送信します）。' : 'インポートは都道府県の担当者（管理者）だけが行えます。', { ephemeral: true })]);
  return ctx.runtime.start(ctx, ID, args);
}
