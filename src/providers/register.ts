/**
 * Registration with approval: anyone can submit a provider through a short flow (name, type,
 * categories, areas, services, contact). It is stored as pending; admins are told and approve or
 * reject it; the submitter is told the outcome. Only approved entries appear in lookups.
 */
import { z } from 'zod';
import type { Ctx } from './context.js';
import { flowAction, type FlowDefinition, type FlowInput, type StepOutcome } from '../engine/flow-definition.js';
import type { Block, Control, Effect, Reply } from '../engine/types.js';
import { ORG_TYPES, ProviderInputSchema, type ProviderInput } from './model.js';
import { deskNotice } from '../engine/auth.js';
import { PROVIDERS } from '../messages/providers.js';
import { M } from '../messages/core.js';

const ID = 'provider-register';
/** How a platform is named in data users see (the 情報源 of a registration). */
const PLATFORM_LABEL: Record<string, string> = M.platformLabels;
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
  { kind: 'button', action: act('back'), label: PROVIDERS.back },
  { kind: 'button', action: act('cancel'), label: PROVIDERS.quit },
];

function ask(ctx: Ctx, s: State, hint?: string): Reply {
  const { taxonomy } = ctx.services.kb;
  const blocks: Block[] = [];
  if (hint) blocks.push({ type: 'text', text: `⚠ ${hint}` });
  switch (s.at) {
    case 'name':
      blocks.unshift({ type: 'header', text: PROVIDERS.registerHeader });
      blocks.push({ type: 'text', text: PROVIDERS.registerName }, { type: 'actions', controls: [{ kind: 'button', action: act('cancel'), label: PROVIDERS.quit }] });
      break;
    case 'orgType':
      blocks.push({ type: 'text', text: PROVIDERS.registerOrgType(s.name) }, { type: 'actions', controls: ORG_TYPES.map((t) => ({ kind: 'button' as const, action: act('orgType'), value: t, label: t })) }, { type: 'actions', controls: FOOTER });
      break;
    case 'category':
      blocks.push(
        { type: 'text', text: s.categories.length ? PROVIDERS.registerMoreCategories : PROVIDERS.registerCategory },
        { type: 'actions', controls: [{ kind: 'select', action: act('category'), placeholder: PROVIDERS.chooseCategory, options: taxonomy.categories.map((c) => ({ label: c.name, value: c.id })) }] },
        { type: 'actions', controls: [...(s.categories.length ? [{ kind: 'button' as const, action: act('category'), value: 'done', label: PROVIDERS.next, style: 'primary' as const }] : []), ...FOOTER] },
      );
      break;
    case 'subcategories': {
      const cat = taxonomy.categories.find((c) => c.id === s.categoryId)!;
      blocks.push(
        { type: 'text', text: PROVIDERS.registerSubcategories(cat.name) },
        { type: 'actions', controls: [{ kind: 'select', action: act('subcategories'), placeholder: PROVIDERS.chooseApplicable, multi: true, minValues: 1, maxValues: cat.subcategories.length, options: cat.subcategories.map((x) => ({ label: x.name, value: x.id })) }] },
        { type: 'actions', controls: FOOTER },
      );
      break;
    }
    case 'areas': {
      const list = ctx.services.municipalities.all(Boolean(ctx.services.config.municipalitiesFile));
      blocks.push(
        { type: 'text', text: PROVIDERS.registerAreas },
        ...(list.length ? [{ type: 'actions' as const, controls: [{ kind: 'select' as const, action: act('areas'), placeholder: PROVIDERS.chooseMunicipalities, multi: true, minValues: 1, maxValues: Math.min(list.length, 25), options: list.slice(0, 100).map((m) => ({ label: m.name, value: m.name })) }] }] : []),
        { type: 'actions', controls: [{ kind: 'button', action: act('areas'), value: '*', label: PROVIDERS.wholePrefecture }, ...FOOTER] },
      );
      break;
    }
    case 'services':
      blocks.push({ type: 'text', text: PROVIDERS.registerServices }, { type: 'actions', controls: FOOTER });
      break;
    case 'contact':
      blocks.push({ type: 'text', text: PROVIDERS.registerContact }, { type: 'actions', controls: FOOTER });
      break;
    case 'review': {
      const subs = s.categories.map((c) => taxonomy.categories.find((x) => x.id === c.categoryId)?.subcategories.find((y) => y.id === c.subcategoryId)?.name);
      blocks.push(
        { type: 'header', text: PROVIDERS.registerReview },
        {
          type: 'fields',
          fields: [
            { label: PROVIDERS.name, value: s.name ?? '' },
            { label: PROVIDERS.orgType, value: s.orgType ?? '' },
            { label: PROVIDERS.category, value: subs.join('・') },
            { label: PROVIDERS.area, value: s.wholePrefecture ? PROVIDERS.wholePrefecture : s.areas.join('、') },
            { label: PROVIDERS.services, value: s.services ?? '' },
            { label: PROVIDERS.contact, value: [s.phone, s.url, s.email].filter(Boolean).join(' ') || PROVIDERS.noneGiven },
          ],
        },
        { type: 'actions', controls: [{ kind: 'button', action: act('submit'), label: PROVIDERS.registerSubmit, style: 'primary' }, ...FOOTER] },
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
    source: PROVIDERS.registerSource(PLATFORM_LABEL[ctx.actor.platform] ?? ctx.actor.platform),
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
  if (name && name !== s.at && name !== 'submit') return stay(PROVIDERS.staleButton);
  switch (s.at) {
    case 'name': {
      const parsed = ProviderInputSchema.shape.name.safeParse(typed);
      return parsed.success ? go({ ...s, name: parsed.data, at: 'orgType' }) : stay(parsed.error.issues[0]!.message);
    }
    case 'orgType': {
      const t = (values[0] ?? typed) as (typeof ORG_TYPES)[number];
      return ORG_TYPES.includes(t) ? go({ ...s, orgType: t, at: 'category' }) : stay(PROVIDERS.chooseOrgType(ORG_TYPES.join('／')));
    }
    case 'category': {
      const v = values[0];
      if (v === 'done' && s.categories.length) return go({ ...s, at: 'areas' });
      if (v && taxonomy.categories.some((c) => c.id === v)) return go({ ...s, categoryId: v, at: 'subcategories' });
      return stay(PROVIDERS.categoryFromList);
    }
    case 'subcategories': {
      const cat = taxonomy.categories.find((c) => c.id === s.categoryId);
      const chosen = values.filter((v) => cat?.subcategories.some((x) => x.id === v));
      if (!cat || !chosen.length) return stay(PROVIDERS.atLeastOne);
      const merged = [...s.categories.filter((c) => !chosen.includes(c.subcategoryId)), ...chosen.map((subcategoryId) => ({ categoryId: cat.id, subcategoryId }))];
      return go({ ...s, categories: merged, at: 'category' });
    }
    case 'areas': {
      if (values[0] === '*' || /^(県内全域|全域)$/.test(typed)) return go({ ...s, wholePrefecture: true, areas: [], at: 'services' });
      const names = values.length ? values : typed.split(/[、,，\s]+/).filter(Boolean);
      const resolved: string[] = [];
      for (const n of names) {
        const found = ctx.services.municipalities.find(n);
        if (found.length !== 1) return stay(PROVIDERS.municipalityUnknown(n.slice(0, 20), found.map((m) => m.name)));
        resolved.push(found[0]!.name);
      }
      return resolved.length ? go({ ...s, wholePrefecture: false, areas: [...new Set(resolved)], at: 'services' }) : stay(PROVIDERS.chooseMunicipality);
    }
    case 'services': {
      if (!typed) return stay(PROVIDERS.servicesEmpty);
      if (typed.length > 1000) return stay(PROVIDERS.servicesLength(typed.length));
      return go({ ...s, services: typed, at: 'contact' });
    }
    case 'contact': {
      if (/^(なし|無し|ない)$/.test(typed)) return go({ ...s, at: 'review' });
      const t = typed.normalize('NFKC');
      const url = /https?:\/\/\S+/.exec(t)?.[0];
      const email = /[^\s@]+@[^\s@]+\.[^\s@]+/.exec(t)?.[0];
      const phone = /(?:\+?\d[\d\-() ]{8,}\d)/.exec(t.replace(url ?? '', '').replace(email ?? '', ''))?.[0]?.trim();
      if (!url && !email && !phone) return stay(PROVIDERS.contactMissing);
      return go({ ...s, ...(phone ? { phone } : {}), ...(url ? { url } : {}), ...(email ? { email } : {}), at: 'review' });
    }
    case 'review': {
      if (name !== 'submit') return stay(PROVIDERS.pressSubmit);
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
  const effects = deskNotice(ctx.services.config, ctx.actor, {
    header: PROVIDERS.deskHeader,
    fields: [{ label: PROVIDERS.name, value: input.name }, { label: PROVIDERS.applicationNumber, value: `#${id}` }],
    controls: [{ type: 'actions', controls: [{ kind: 'button', action: 'provider:approve', value: String(id), label: PROVIDERS.approve, style: 'primary' }, { kind: 'button', action: 'provider:reject', value: String(id), label: PROVIDERS.reject, style: 'danger' }] }],
  });
  return { replies: [{ blocks: [{ type: 'text', text: PROVIDERS.registered(id) }] }], effects };
}

export const providerRegistrationFlow: FlowDefinition<State, Ctx> = {
  id: ID,
  name: PROVIDERS.registerFlowName,
  version: 1,
  schema: State,
  capturesText: true,
  private: true,
  start: (ctx) => ({ state: { at: 'name', categories: [], wholePrefecture: false, areas: [] }, replies: [ask(ctx, { at: 'name', categories: [], wholePrefecture: false, areas: [] })] }),
  step,
  render: (s, ctx) => [ask(ctx, s)],
};
