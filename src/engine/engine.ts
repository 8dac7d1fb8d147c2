/**
 * The conversation engine: one for every platform. It takes a neutral InboundEvent and returns
 * neutral Replies and Effects. Dispatch order is fixed: de-duplicate the delivery, apply the
 * rate limit and size limits, then commands, actions and forms by their routing tables, then
 * free text (to the active flow, or by intent). A failing handler never takes the process down:
 * the user gets a short Japanese message and the error is logged.
 */
import type { Assistant } from '../answer/assistant.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { M } from '../messages.js';
import { AnswerStore } from '../store/answers.js';
import { ChecklistStore } from '../store/checklist.js';
import type { Db } from '../store/db.js';
import { EventLedger } from '../store/events.js';
import { FlowStore } from '../store/flows.js';
import { HandoffStore } from '../store/handoffs.js';
import { MunicipalityStore, readMunicipalityList } from '../store/municipalities.js';
import { RoleStore } from '../store/roles.js';
import { ProviderStore } from '../providers/store.js';
import { seedProviders } from '../providers/seed.js';
import { stripControlCharacters } from '../knowledge/normalize.js';
import { Turns } from './turns.js';
import { FlowRuntime } from './flow.js';
import { handled, type Ctx, type Handled, type Services } from './context.js';
import { RateLimiter } from './rate-limit.js';
import { COMMANDS, type CommandName, type EngineResult, type InboundEvent } from './types.js';
import { text } from './types.js';
import { menuReply } from '../features/menu.js';
import { answerQuestion, openDeskReply, sendToDesk, submitDeskReply, vote } from '../features/question.js';
import { faqCommand, faqListReply, openFaq } from '../features/faq.js';
import { stepGuideFlow } from '../features/step-guide.js';
import { caseSearchFlow } from '../features/case-search.js';
import { checklistFlow, checklistCommand } from '../features/checklist/flow.js';
import { checklistAction } from '../features/checklist/admin.js';
import { providerSearchFlow, providerCommand } from '../features/providers/search.js';
import { providerRegistrationFlow } from '../features/providers/register.js';
import { providerReviewAction, providerImportFile } from '../features/providers/admin.js';
import { adminCommand } from '../features/admin.js';

export interface EngineOptions {
  config: Config;
  assistant: Assistant;
  db: Db;
  logger: Logger;
  clock?: () => number;
  /** Shared with the assistant, which steps out of the turn while it waits on the network. */
  turns?: Turns;
}

type CommandHandler = (ctx: Ctx, args: string) => Promise<Handled> | Handled;
type ActionHandler = (ctx: Ctx, value: string, values?: string[]) => Promise<Handled> | Handled;

export class Engine {
  readonly services: Services;
  readonly runtime: FlowRuntime<Ctx>;
  private readonly ledger: EventLedger;
  private readonly limiter: RateLimiter;
  private readonly clickLimiter: RateLimiter;
  private readonly clock: () => number;
  private readonly commands: Record<CommandName, CommandHandler>;
  private readonly actions: Record<string, ActionHandler>;
  private inFlight = 0;
  private accepting = true;
  private readonly turns: Turns;

  constructor(options: EngineOptions) {
    const { config, db, assistant, logger } = options;
    this.clock = options.clock ?? Date.now;
    this.turns = options.turns ?? new Turns();
    const municipalities = new MunicipalityStore(db);
    if (config.municipalitiesFile) municipalities.syncList(readMunicipalityList(config.municipalitiesFile));
    const providers = new ProviderStore(db);
    seedProviders(providers, assistant.index.kb.taxonomy);
    this.services = {
      config,
      assistant,
      kb: assistant.index.kb,
      db,
      answers: new AnswerStore(db),
      handoffs: new HandoffStore(db),
      roles: new RoleStore(db, config.adminUserIds),
      municipalities,
      checklists: new ChecklistStore(db),
      providers,
      logger,
    };
    this.ledger = new EventLedger(db);
    this.limiter = new RateLimiter(config.rateLimitPerMinute);
    this.clickLimiter = new RateLimiter(config.rateLimitPerMinute * 3);
    this.runtime = new FlowRuntime<Ctx>(new FlowStore(db), config.flowIdleMinutes);
    for (const flow of [stepGuideFlow, caseSearchFlow, checklistFlow, providerSearchFlow, providerRegistrationFlow]) this.runtime.register(flow);

    this.commands = {
      pf: (ctx, args) => this.pf(ctx, args),
      'pf-faq': (ctx, args) => faqCommand(ctx, args),
      'pf-step': (ctx) => this.runtime.start(ctx, 'step', ''),
      'pf-case': (ctx, args) => this.runtime.start(ctx, 'case', args),
      'pf-checklist': (ctx, args) => checklistCommand(ctx, args),
      'pf-provider': (ctx, args) => providerCommand(ctx, args),
    };
    this.actions = {
      cmd: (ctx, value) => this.command(ctx, value),
      'faq:open': (ctx, value, values) => openFaq(ctx, values?.[0] ?? value),
      'fb:up': (ctx, value) => vote(ctx, value, 1),
      'fb:down': (ctx, value) => vote(ctx, value, -1),
      'handoff:send': (ctx, value) => sendToDesk(ctx, value),
      'handoff:reply': (ctx, value) => openDeskReply(ctx, value),
    };
  }

  /**
   * Claims a platform delivery id once: false for a retry or duplicate. Adapters call it before
   * doing anything visible (a "working" note), then hand the event over without the id.
   */
  claimDelivery(platform: string, id: string): boolean {
    return this.ledger.claim(`${platform}:${id}`);
  }

  /** Stops taking new events (SIGTERM); in-flight ones finish. */
  stopAccepting(): void {
    this.accepting = false;
  }

  /** Resolves when no event is being handled, or after `timeoutMs`. */
  async drain(timeoutMs: number): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (this.inFlight > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    return this.inFlight === 0;
  }

  private ctx(event: InboundEvent): Ctx {
    return { actor: event.actor, now: this.clock(), services: this.services, runtime: this.runtime };
  }

  async handle(event: InboundEvent): Promise<EngineResult> {
    if (!this.accepting) return { replies: [text('ただいまメンテナンスのため停止中です。しばらくしてからお試しください。', { ephemeral: true })], effects: [] };
    this.inFlight++;
    try {
      if (event.eventId && !this.ledger.claim(`${event.actor.platform}:${event.eventId}`)) return { replies: [], effects: [], duplicate: true };
      const ctx = this.ctx(event);
      const key = `${event.actor.platform}:${event.actor.userId}`;
      // clicks come in bursts (a checklist is a dozen of them), so they have a roomier bucket of their own
      const limiter = event.kind === 'action' || event.kind === 'form' ? this.clickLimiter : this.limiter;
      if (!limiter.allow(key, ctx.now)) {
        return { replies: [text(M.rateLimited(this.services.config.rateLimitPerMinute), { ephemeral: true })], effects: [] };
      }
      const result = await this.turns.run(() => this.dispatch(ctx, event));
      return { replies: result.replies, effects: result.effects };
    } catch (error) {
      this.services.logger.error({ err: error, kind: event.kind, platform: event.actor.platform }, 'イベントの処理に失敗しました');
      return { replies: [text(M.internalError, { ephemeral: true })], effects: [] };
    } finally {
      this.inFlight--;
    }
  }

  private async dispatch(ctx: Ctx, event: InboundEvent): Promise<Handled> {
    const max = this.services.config.maxMessageChars;
    switch (event.kind) {
      case 'command': {
        const args = stripControlCharacters(event.args).trim();
        if (args.length > max) return handled([text(M.tooLong(max, args.length), { ephemeral: true })]);
        return this.runCommand(ctx, event.command, args);
      }
      case 'message': {
        const body = stripControlCharacters(event.text).trim();
        if (!body) return handled([text(M.emptyMessage), menuReply(' ')]);
        if (body.length > max) return handled([text(M.tooLong(max, body.length))]);
        return this.message(ctx, body);
      }
      case 'action': {
        const table = this.actions[event.action];
        if (table) return table(ctx, event.value, event.values);
        if (event.action.startsWith('checklist:')) return checklistAction(ctx, event.action, event.value, event.values);
        if (event.action.startsWith('provider:')) return providerReviewAction(ctx, event.action, event.value);
        return (await this.runtime.handle(ctx, { kind: 'action', action: event.action, value: event.value, ...(event.values ? { values: event.values } : {}) })) ?? handled([text(M.staleAction, { ephemeral: true })]);
      }
      case 'form': {
        const fields = Object.fromEntries(Object.entries(event.fields).map(([k, v]) => [k, stripControlCharacters(String(v)).slice(0, max)]));
        if (event.formId === 'handoff-reply') return submitDeskReply(ctx, event.state, fields);
        if (event.formId.startsWith('provider:')) return providerReviewAction(ctx, event.formId, event.state ?? '', fields);
        return (await this.runtime.handle(ctx, { kind: 'form', formId: event.formId, fields })) ?? handled([text(M.staleAction, { ephemeral: true })]);
      }
      case 'file':
        if (event.data.length > this.services.config.maxUploadBytes) {
          return handled([text(`ファイルが大きすぎます（${Math.round(event.data.length / 1024)} KB）。${Math.round(this.services.config.maxUploadBytes / 1024)} KB までにしてください。`, { ephemeral: true })]);
        }
        // the file is read and checked outside the turn (other users keep being served); it is written in the turn
        return providerImportFile(ctx, event.fileName, event.data, event.args ?? '', (io) => this.turns.outside(io));
    }
  }

  /** Runs "/name args" typed as text or given as a button value ("pf-faq 6"). */
  private async command(ctx: Ctx, line: string): Promise<Handled> {
    const m = /^\/?(\S+)\s*([\s\S]*)$/.exec(line.trim());
    const name = m?.[1] ?? '';
    return this.runCommand(ctx, name, m?.[2]?.trim() ?? '');
  }

  private async runCommand(ctx: Ctx, name: string, args: string): Promise<Handled> {
    if (!(COMMANDS as readonly string[]).includes(name)) {
      return handled([menuReply(M.unknownCommand(`/${name}`))]);
    }
    return this.commands[name as CommandName](ctx, args);
  }

  /** `/pf`: the menu, the admin sub-commands, or a question. */
  private async pf(ctx: Ctx, args: string): Promise<Handled> {
    if (!args || /^(ヘルプ|help|使い方|メニュー)$/i.test(args)) return handled([menuReply()]);
    const admin = await adminCommand(ctx, args);
    if (admin) return admin;
    return answerQuestion(ctx, args);
  }

  private async message(ctx: Ctx, body: string): Promise<Handled> {
    // a slash command typed as text (the terminal, or a DM)
    if (/^\/pf(-[a-z]+)?(\s|$)/.test(body)) return this.command(ctx, body);
    const inFlow = await this.runtime.handle(ctx, { kind: 'text', text: body });
    if (inFlow) return inFlow;
    switch (this.services.assistant.intentOf(body)) {
      case 'start_checklist':
        return checklistCommand(ctx, '');
      case 'provider_search':
        return providerCommand(ctx, body);
      case 'step_guide':
        return this.runtime.start(ctx, 'step', '');
      case 'faq_list':
        return handled([faqListReply(ctx)]);
      case 'case_search':
        return this.runtime.start(ctx, 'case', body.replace(/(事例|取組例)(を|の)?(探して|検索して|一覧|見せて|見たい|教えて|知りたい).*$/, '').trim());
      case 'help':
        return handled([menuReply()]);
      default:
        return answerQuestion(ctx, body);
    }
  }
}
