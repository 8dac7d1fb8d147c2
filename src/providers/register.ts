/**
 * Registration with approval: anyone can submit a provider through a short flow (name, type,
 * categories, areas, services, contact). It is stored as pending; admins are told and approve or
 * reject it; the submitter is told the outcome. Only approved entries appear in lookups.
 */
import { z } from 'zod';
import type { Ctx } from './context.js';
import { flowAction, type FlowDefinition, type FlowInput, type StepOutcome } from '../engine/flow.js';
import type { Block, Control, Effect, Reply } from '../engine/types.js';
import { ORG_TYPES, ProviderInputSchema, type ProviderInput } from './model.js';
import { deskTarget } from '../engine/auth.js';

const ID = 'provider-register';
/** How a platform is named in data users see (the 情報源 of a registration). */
const PLATFORM_LABEL: Record<string, string> = { slack: 'Slack', discord: 'Discord', terminal: '端末' };
const act = (name: string): string => flowAction(ID, name);

const State = z.object({
  at: z.enum(['name', 'orgType', 'category', 'subcategories', 'areas', 'services', 'contact', 'review']),
  name: z.string().optional(),
  orgType: z.enum(ORG_TYPES).optional(),
  categoryId: z.string().optional(),
  categories: z.array(z.object({ categoryId: z.string(), subcategoryId: z.string() })).default([]),
  wholePrefecture: z.boolean().default(false),
  areas: z.array(z.string()).default([]),
  services: z.string().optional(),
  phone: z.string().optional(),
  url: z.string().optional(),
  email: z.string().optional(),
});
type State = z.infer<typeof State>;

const FOOTER: Control[] = [
  { kind: 'button', action: act('back'), label: '戻る' },
  { kind: 'button', action: act('cancel'), label: 'やめる' },
];

function ask(ctx: Ctx, s: State, hint?: string): Reply {
  const { taxonomy } = ctx.services.kb;
  const blocks: Block[] = [];
  if (hint) blocks.push({ type: 'text', text: `⚠ ${hint}` });
  switch (s.at) {
    case 'name':
      blocks.unshift({ type: 'header', text: '多様な主体リストへの掲載申込' });
      blocks.push({ type: 'text', text: '事業者・団体の名称を入力してください（例: 〇〇スーパー 〇〇店）。申込は都道府県の担当者が確認してから掲載されます。' }, { type: 'actions', controls: [{ kind: 'button', action: act('cancel'), label: 'やめる' }] });
      break;
    case 'orgType':
      blocks.push({ type: 'text', text: `「${s.name}」の組織の種類を選んでください。` }, { type: 'actions', controls: ORG_TYPES.map((t) => ({ kind: 'button' as const, action: act('orgType'), value: t, label: t })) }, { type: 'actions', controls: FOOTER });
      break;
    case 'category':
      blocks.push(
        { type: 'text', text: s.categories.length ? '追加するカテゴリを選ぶか、「次へ」を押してください。' : '提供しているサービスのカテゴリを選んでください。' },
        { type: 'actions', controls: [{ kind: 'select', action: act('category'), placeholder: 'カテゴリを選ぶ', options: taxonomy.categories.map((c) => ({ label: c.name, value: c.id })) }] },
        { type: 'actions', controls: [...(s.categories.length ? [{ kind: 'button' as const, action: act('category'), value: 'done', label: '次へ', style: 'primary' as const }] : []), ...FOOTER] },
      );
      break;
    case 'subcategories': {
      const cat = taxonomy.categories.find((c) => c.id === s.categoryId)!;
      blocks.push(
        { type: 'text', text: `「${cat.name}」のうち、当てはまるものをすべて選んでください。` },
        { type: 'actions', controls: [{ kind: 'select', action: act('subcategories'), placeholder: '当てはまるものを選ぶ', multi: true, minValues: 1, maxValues: cat.subcategories.length, options: cat.subcategories.map((x) => ({ label: x.name, value: x.id })) }] },
        { type: 'actions', controls: FOOTER },
      );
      break;
    }
    case 'areas': {
      const list = ctx.services.municipalities.all(Boolean(ctx.services.config.municipalitiesFile));
      blocks.push(
        { type: 'text', text: 'サービスを提供している市町村を選ぶか、名前を「、」区切りで入力してください。県内全域の場合は「県内全域」を押してください。' },
        ...(list.length ? [{ type: 'actions' as const, controls: [{ kind: 'select' as const, action: act('areas'), placeholder: '市町村を選ぶ（複数可）', multi: true, minValues: 1, maxValues: Math.min(list.length, 25), options: list.slice(0, 100).map((m) => ({ label: m.name, value: m.name })) }] }] : []),
        { type: 'actions', controls: [{ kind: 'button', action: act('areas'), value: '*', label: '県内全域' }, ...FOOTER] },
      );
      break;
    }
    case 'services':
      blocks.push({ type: 'text', text: '高齢者向けに提供しているサービスの内容を入力してください（1000文字まで。例: 毎週火・金に移動販売車で食品・日用品を販売）。' }, { type: 'actions', controls: FOOTER });
      break;
    case 'contact':
      blocks.push({ type: 'text', text: '連絡先（電話番号・URL・メールアドレスのいずれか、複数可）を入力してください。載せない場合は「なし」と入力してください。' }, { type: 'actions', controls: FOOTER });
      break;
    case 'review': {
      const subs = s.categories.map((c) => taxonomy.categories.find((x) => x.id === c.categoryId)?.subcategories.find((y) => y.id === c.subcategoryId)?.name);
      blocks.push(
        { type: 'header', text: '申込内容の確認' },
        {
          type: 'fields',
          fields: [
            { label: '名称', value: s.name ?? '' },
            { label: '組織の種類', value: s.orgType ?? '' },
            { label: 'カテゴリ', value: subs.join('・') },
            { label: '地域', value: s.wholePrefecture ? '県内全域' : s.areas.join('、') },
            { label: 'サービス内容', value: s.services ?? '' },
            { label: '連絡先', value: [s.phone, s.url, s.email].filter(Boolean).join(' ') || 'なし' },
          ],
        },
        { type: 'actions', controls: [{ kind: 'button', action: act('submit'), label: 'この内容で申し込む', style: 'primary' }, ...FOOTER] },
      );
      break;
    }
  }
  return { blocks };
}

function toInput(s: State, ctx: Ctx): ProviderInput {
  return ProviderInputSchema.parse({
    name: s.name,
    orgType: s.orgType,
    categories: s.categories,
    wholePrefecture: s.wholePrefecture,
    areas: s.areas,
    description: '',
    services: s.services ?? '',
    ...(s.phone ? { phone: s.phone } : {}),
    ...(s.url ? { url: s.url } : {}),
    ...(s.email ? { email: s.email } : {}),
    source: `チャットからの掲載申込（${PLATFORM_LABEL[ctx.actor.platform] ?? ctx.actor.platform}）`,
    status: 'pending',
  });
}

function step(s: State, input: FlowInput, ctx: Ctx): StepOutcome<State> {
  const { taxonomy } = ctx.services.kb;
  const stay = (hint: string): StepOutcome<State> => ({ state: s, replies: [ask(ctx, s, hint)], sameStep: true });
  const go = (next: State): StepOutcome<State> => ({ state: next, replies: [ask(ctx, next)] });
  const typed = input.kind === 'text' ? input.text.trim() : input.kind === 'form' ? Object.values(input.fields).join(' ').trim() : '';
  const values = input.kind === 'action' ? (input.values ?? (input.value ? [input.value] : [])) : [];
  const name = input.kind === 'action' ? input.action.split(':')[2] : undefined;
  if (name && name !== s.at && name !== 'submit') return stay('このボタンは前の質問のものです。');
  switch (s.at) {
    case 'name': {
      const parsed = ProviderInputSchema.shape.name.safeParse(typed);
      return parsed.success ? go({ ...s, name: parsed.data, at: 'orgType' }) : stay(parsed.error.issues[0]!.message);
    }
    case 'orgType': {
      const t = (values[0] ?? typed) as (typeof ORG_TYPES)[number];
      return ORG_TYPES.includes(t) ? go({ ...s, orgType: t, at: 'category' }) : stay(`組織の種類は ${ORG_TYPES.join('／')} から選んでください。`);
    }
    case 'category': {
      const v = values[0];
      if (v === 'done' && s.categories.length) return go({ ...s, at: 'areas' });
      if (v && taxonomy.categories.some((c) => c.id === v)) return go({ ...s, categoryId: v, at: 'subcategories' });
      return stay('カテゴリを一覧から選んでください。');
    }
    case 'subcategories': {
      const cat = taxonomy.categories.find((c) => c.id === s.categoryId);
      const chosen = values.filter((v) => cat?.subcategories.some((x) => x.id === v));
      if (!cat || !chosen.length) return stay('一覧から1つ以上選んでください。');
      const merged = [...s.categories.filter((c) => !chosen.includes(c.subcategoryId)), ...chosen.map((subcategoryId) => ({ categoryId: cat.id, subcategoryId }))];
      return go({ ...s, categories: merged, at: 'category' });
    }
    case 'areas': {
      if (values[0] === '*' || /^(県内全域|全域)$/.test(typed)) return go({ ...s, wholePrefecture: true, areas: [], at: 'services' });
      const names = values.length ? values : typed.split(/[、,，\s]+/).filter(Boolean);
      const resolved: string[] = [];
      for (const n of names) {
        const found = ctx.services.municipalities.find(n);
        if (found.length !== 1) return stay(`「${n.slice(0, 20)}」という市町村を特定できませんでした。${found.length ? `候補: ${found.map((m) => m.name).join('、')}` : ''}`);
        resolved.push(found[0]!.name);
      }
      return resolved.length ? go({ ...s, wholePrefecture: false, areas: [...new Set(resolved)], at: 'services' }) : stay('市町村を選んでください。');
    }
    case 'services': {
      if (!typed) return stay('サービスの内容を入力してください。');
      if (typed.length > 1000) return stay(`長すぎます（${typed.length} 文字）。1000文字以内にしてください。`);
      return go({ ...s, services: typed, at: 'contact' });
    }
    case 'contact': {
      if (/^(なし|無し|ない)$/.test(typed)) return go({ ...s, at: 'review' });
      const t = typed.normalize('NFKC');
      const url = /https?:\/\/\S+/.exec(t)?.[0];
      const email = /[^\s@]+@[^\s@]+\.[^\s@]+/.exec(t)?.[0];
      const phone = /(?:\+?\d[\d\-() ]{8,}\d)/.exec(t.replace(url ?? '', '').replace(email ?? '', ''))?.[0]?.trim();
      if (!url && !email && !phone) return stay('電話番号・URL・メールアドレスのいずれかを入力してください（載せない場合は「なし」）。');
      return go({ ...s, ...(phone ? { phone } : {}), ...(url ? { url } : {}), ...(email ? { email } : {}), at: 'review' });
    }
    case 'review': {
      if (name !== 'submit') return stay('「この内容で申し込む」を押してください。');
      const parsed = ProviderInputSchema.safeParse(toInput(s, ctx));
      if (!parsed.success) return stay(parsed.error.issues[0]!.message);
      const input = parsed.data;
      // written in the same transaction as the flow's end (the runtime runs commit): a retry after a failure registers once
      return { replies: [], commit: () => registered(ctx, input) };
    }
  }
}

/** Files the registration and tells the desk (run by the flow runtime inside the flow's transaction). */
function registered(ctx: Ctx, input: ProviderInput): { replies: Reply[]; effects: Effect[] } {
  const id = ctx.services.providers.add(input, { platform: ctx.actor.platform, by: ctx.actor.userId }, ctx.now);
  const effects: Effect[] = [];
  const desk = deskTarget(ctx.services.config, ctx.actor);
  if (desk) {
    effects.push({
      type: 'deliver',
      target: desk,
      reason: 'admin_notice',
      reply: {
        blocks: [
          { type: 'header', text: '多様な主体リストに掲載申込がありました' },
          { type: 'fields', fields: [{ label: '名称', value: input.name }, { label: '申込番号', value: `#${id}` }] },
          { type: 'actions', controls: [{ kind: 'button', action: 'provider:approve', value: String(id), label: '承認', style: 'primary' }, { kind: 'button', action: 'provider:reject', value: String(id), label: '却下', style: 'danger' }] },
        ],
      },
    });
  }
  return { replies: [{ blocks: [{ type: 'text', text: `申込を受け付けました（申込番号 #${id}）。都道府県の担当者が確認し、結果をお知らせします。掲載されるまでは検索結果に表示されません。` }] }], effects };
}

export const providerRegistrationFlow: FlowDefinition<State, Ctx> = {
  id: ID,
  name: '掲載申込',
  version: 1,
  schema: State,
  capturesText: true,
  private: true,
  start: (ctx) => ({ state: { at: 'name', categories: [], wholePrefecture: false, areas: [] }, replies: [ask(ctx, { at: 'name', categories: [], wholePrefecture: false, areas: [] })] }),
  step,
  render: (s, ctx) => [ask(ctx, s)],
};
