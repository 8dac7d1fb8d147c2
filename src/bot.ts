/**
 * The routing table, by name: every command, action, form, flow, file purpose, intent and
 * autocomplete field of the bot, and the handler that serves it. This is the one module that
 * imports every feature; the engine (src/engine/) dispatches through this table without knowing
 * any of them. Read it to find where a button, a command or a sentence goes.
 */
import type { Intent } from './answering/intent.js';
import { runCommandLine } from './engine/routes.js';
import type { Ctx } from './engine/context.js';
import { handled, type Handled } from './engine/context.js';
import type { CommandRoute, MessageRoute, Routes } from './engine/routes.js';
import type { CommandName, CompletionField, FilePurpose } from './commands.js';
import { menuReply } from './menu.js';
import { authorize } from './engine/auth.js';
import { adminCommand } from './admin/commands.js';
import { overviewWithChart } from './analysis/checklist-chart.js';
import { analysisAction, gapArgs, gapCommand, gapCsvReply, gapDetail, gapReply } from './analysis/view.js';
import { answerQuestion, openDeskReply, sendToDesk, submitDeskReply, vote } from './answering/question.js';
import { checklistAction, exportReply, groupsReply, municipalityDetail } from './checklist/admin.js';
import { checklistCommand, OVERVIEW_ARGS } from './checklist/command.js';
import { checklistFlow } from './checklist/flow.js';
import { membershipAction, membershipRequestsReply } from './checklist/membership.js';
import { caseQueryOf, caseSearchFlow, completeCaseFilter } from './guides/case-search.js';
import { faqCommand, faqListReply, openFaq } from './guides/faq.js';
import { stepGuideFlow } from './guides/step-guide.js';
import { asksForImport, localImport, providerImportFile, providerReviewAction } from './providers/admin.js';
import { completeCategory } from './providers/model.js';
import { providerRegistrationFlow } from './providers/register.js';
import { providerCommand } from './providers/command.js';
import { providerSearchFlow } from './providers/search.js';
import type { Services } from './services.js';
import { inPlaceRoute, privateRoute, privately } from './engine/visibility.js';

type C = Ctx<Services>;

/** `/pf-checklist`: the overview (「集計」) comes with its chart; the rest is the checklist's own. */
function pfChecklist(ctx: C, args: string): Promise<Handled> {
  return OVERVIEW_ARGS.test(args.normalize('NFKC').trim()) ? overviewWithChart(ctx) : checklistCommand(ctx, args);
}

/** `/pf-provider`: 「空白」 (the gap view of needs and providers, an admin view: private) or the directory's own words and lookups. */
async function pfProvider(ctx: C, args: string): Promise<Handled> {
  const gaps = gapArgs(args);
  return gaps === null ? providerCommand(ctx, args) : privately(await gapCommand(ctx, gaps));
}

/** `/pf`: the menu, the admin sub-commands, or a question. */
async function pf(ctx: C, args: string): Promise<Handled> {
  if (!args || /^(ヘルプ|help|使い方|メニュー)$/i.test(args)) return handled([menuReply(ctx.services.kb)]);
  const analysis = /^(分析|空白)(?:\s+(.*))?$/.exec(args);
  // the gap view is an admin view: private, its picture with it (issue 18)
  if (analysis) return privately(await gapCommand(ctx, analysis[2] ?? ''));
  if (/^権限\s+申請$/.test(args.normalize('NFKC').trim())) return membershipRequestsReply(ctx);
  const admin = await adminCommand(ctx, args);
  if (admin) return admin;
  return answerQuestion(ctx, args);
}

/** `/pf-provider` arguments that are a search (public, like /pf-case): not registration nor an admin view. */
const PROVIDER_PUBLIC = (args: string): boolean => !/^(登録|申し込み|申込|承認待ち|審査|pending|エクスポート|export|csv出力|CSV出力|出力|テンプレート|template|ひな形|雛形|インポート|import|取り込み|取込)/i.test(args.normalize('NFKC').trim());

const commands: Record<CommandName, CommandRoute<C>> = {
  // a question goes to retrieval (and maybe a language model): the adapters show progress at once
  pf: { run: pf, slow: (args) => args.trim() !== '' && !/^(管理|統計|権限|分析|空白|ヘルプ|help)/i.test(args.trim()) },
  'pf-faq': { run: faqCommand },
  'pf-step': { run: (ctx) => ctx.runtime.start(ctx, stepGuideFlow.id, '') },
  'pf-case': { run: (ctx, args) => ctx.runtime.start(ctx, caseSearchFlow.id, args) },
  // private by default (issue 18, README 「公開と非公開」): flows and admin views; searches stay public
  'pf-checklist': { run: privateRoute(pfChecklist) },
  'pf-provider': { run: async (ctx, args) => (PROVIDER_PUBLIC(args) ? pfProvider(ctx, args) : privately(await pfProvider(ctx, args))) },
};

/** Intents of free text (src/answering/intent.ts); a plain question is the fallback. */
const intents: Record<Exclude<Intent, 'question'>, MessageRoute<C>> = {
  start_checklist: privateRoute((ctx: C) => checklistCommand(ctx, '')),
  provider_search: (ctx, text) => providerCommand(ctx, text),
  step_guide: (ctx) => ctx.runtime.start(ctx, stepGuideFlow.id, ''),
  faq_list: (ctx) => handled([faqListReply(ctx)]),
  case_search: (ctx, text) => ctx.runtime.start(ctx, caseSearchFlow.id, caseQueryOf(text)),
  help: (ctx) => handled([menuReply(ctx.services.kb)]),
};

const completions: Record<CompletionField, (services: Services, typed: string) => string[]> = {
  municipality: (s, typed) => s.municipalities.complete(typed),
  category: (s, typed) => completeCategory(s.kb.taxonomy, typed),
  'case-filter': (s, typed) => completeCaseFilter(s.kb, typed),
};

const files: Record<FilePurpose, Routes<C, Services>['files'][string]> = {
  providers_import: { run: providerImportFile, asks: asksForImport, localFile: localImport, command: 'pf-provider', allowed: (ctx) => authorize(ctx.services, ctx.actor, 'providers.import').ok },
};

export const routes: Routes<C, Services> = {
  commands,
  typedCommand: /^\/pf(-[a-z]+)?(\s|$)/,
  actions: {
    // a button whose value is a command line (「pf-faq 6」)
    // navigation edits the message it came from (「← Q5」「Q7 →」, the menu's buttons)
    cmd: inPlaceRoute((ctx: C, value: string) => runCommandLine(routes, ctx, value)),
    'faq:open': inPlaceRoute((ctx: C, value: string, values?: string[]) => openFaq(ctx, values?.[0] ?? value)),
    'fb:up': (ctx, value) => vote(ctx, value, 1),
    'fb:down': (ctx, value) => vote(ctx, value, -1),
    'handoff:send': (ctx, value) => sendToDesk(ctx, value),
    'handoff:reply': (ctx, value) => openDeskReply(ctx, value),
    'checklist:overview': privateRoute((ctx: C) => overviewWithChart(ctx)),
    'checklist:groups': privateRoute((ctx: C) => groupsReply(ctx)),
    'checklist:export': privateRoute((ctx: C) => exportReply(ctx)),
    'checklist:detail': privateRoute((ctx: C, value: string, values?: string[]) => municipalityDetail(ctx, values?.[0] ?? value)),
    'provider:approve': privateRoute((ctx: C, value: string) => providerReviewAction(ctx, 'provider:approve', value)),
    'provider:reject': privateRoute((ctx: C, value: string) => providerReviewAction(ctx, 'provider:reject', value)),
    'analysis:gaps': privateRoute((ctx: C) => gapReply(ctx)),
    'analysis:csv': privateRoute((ctx: C) => gapCsvReply(ctx)),
    'analysis:gap': privateRoute((ctx: C, value: string, values?: string[]) => gapDetail(ctx, values?.[0] ?? value)),
    'membership:approve': privateRoute((ctx: C, value: string) => membershipAction(ctx, 'membership:approve', value)),
    'membership:reject': privateRoute((ctx: C, value: string) => membershipAction(ctx, 'membership:reject', value)),
  },
  // stale or unknown ids of a feature get that feature's own message
  actionNamespaces: {
    checklist: privateRoute((ctx: C, action: string, value: string, values?: string[]) => checklistAction(ctx, action, value, values)),
    provider: privateRoute((ctx: C, action: string, value: string) => providerReviewAction(ctx, action, value)),
    analysis: privateRoute((ctx: C, action: string, value: string, values?: string[]) => analysisAction(ctx, action, value, values)),
    membership: privateRoute((ctx: C, action: string, value: string) => membershipAction(ctx, action, value)),
  },
  forms: {
    'handoff-reply': (ctx, _formId, state, fields) => submitDeskReply(ctx, state, fields),
    'provider:reject': privateRoute((ctx: C, formId: string, state: string | undefined, fields: Record<string, string>) => providerReviewAction(ctx, formId, state ?? '', fields)),
  },
  formNamespaces: {
    provider: privateRoute((ctx: C, formId: string, state: string | undefined, fields: Record<string, string>) => providerReviewAction(ctx, formId, state ?? '', fields)),
  },
  files,
  flows: [stepGuideFlow, caseSearchFlow, checklistFlow, providerSearchFlow, providerRegistrationFlow],
  intents: { detect: (ctx, text) => ctx.services.assistant.intentOf(text), routes: intents, fallback: answerQuestion },
  help: (services, prefix) => menuReply(services.kb, prefix),
  completions,
};
