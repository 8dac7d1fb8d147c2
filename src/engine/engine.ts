/**
 * The conversation engine: one for every platform, and for every bot a routing table describes
 * (src/bot.ts). It takes a neutral InboundEvent and returns neutral Replies and Effects; it imports
 * no feature. Dispatch order is fixed: de-duplicate the delivery, apply the rate limit (questions
 * and flow steps each have a bucket) and size limits, then commands, actions and forms by their
 * routing tables, then free text (a choice on the user's screen typed by its label, as if pressed;
 * 「やめる」「戻る」 for the flow on screen; to the active flow; or by intent). The engine remembers
 * each conversation's last choices (screen.ts). A failing handler never takes the process down:
 * the user gets a short Japanese message and the error is logged.
 */
import type { Logger } from '../logger.js';
import { M } from '../messages/core.js';
import type { Db } from '../store/db.js';
import { EventLedger } from '../store/events.js';
import { conversationKey, FlowStore } from '../store/flows.js';
import { stripControlCharacters } from '../knowledge/normalize.js';
import { Turns } from './turns.js';
import { BACK_WORDS, CANCEL_WORDS, parseFlowAction } from './flow-definition.js';
import { FlowRuntime } from './flow.js';
import { choicesOf as choicesOfReplies, findChoice, Screens, type TypedChoice } from './screen.js';
import { handled, type Ctx, type Handled } from './context.js';
import { RateLimiter } from './rate-limit.js';
import { checkRoutes, namespaceOf, runCommand, runCommandLine, type Routes } from './routes.js';
import type { EngineApi } from './adapter.js';
import type { EngineResult, InboundEvent, Reply } from './types.js';
import { text } from './types.js';

/** A flow's steps and clicks may come this many times as often as questions (one bucket for each). */
const STEPS_PER_QUESTION = 3;

/** The conversation a screen belongs to: the same key as a flow's (platform, workspace, channel, user). */
const screenKey = (actor: InboundEvent['actor']): string => conversationKey({ platform: actor.platform, workspace: actor.workspaceId, channel: actor.channelId, userId: actor.userId });

/** The operational limits the engine applies to every event (from the configuration). */
export interface EngineLimits {
  rateLimitPerMinute: number;
  maxMessageChars: number;
  maxUploadBytes: number;
  flowIdleMinutes: number;
}

export interface EngineOptions<S> {
  routes: Routes<Ctx<S>, S>;
  /** Handed to every handler as `ctx.services`; the engine never looks inside. */
  services: S;
  db: Db;
  logger: Logger;
  limits: EngineLimits;
  clock?: () => number;
  /** Shared with the assistant, which steps out of the turn while it waits on the network. */
  turns?: Turns;
}

export class Engine<S> implements EngineApi {
  readonly runtime: FlowRuntime<Ctx<S>>;
  readonly services: S;
  private readonly routes: Routes<Ctx<S>, S>;
  private readonly ledger: EventLedger;
  private readonly limiter: RateLimiter;
  private readonly stepLimiter: RateLimiter;
  private readonly screens: Screens;
  /** The choice a message's text names, per event (its context). */
  private readonly typed = new WeakMap<Ctx<S>, TypedChoice | null>();
  private readonly clock: () => number;
  private readonly limits: EngineLimits;
  private readonly logger: Logger;
  private inFlight = 0;
  private accepting = true;
  private readonly turns: Turns;

  constructor(options: EngineOptions<S>) {
    const { routes, db, limits } = options;
    checkRoutes(routes);
    this.routes = routes;
    this.services = options.services;
    this.logger = options.logger;
    this.limits = limits;
    this.clock = options.clock ?? Date.now;
    this.turns = options.turns ?? new Turns();
    this.ledger = new EventLedger(db);
    this.limiter = new RateLimiter(limits.rateLimitPerMinute);
    this.stepLimiter = new RateLimiter(limits.rateLimitPerMinute * STEPS_PER_QUESTION);
    this.screens = new Screens(limits.flowIdleMinutes * 60_000);
    this.runtime = new FlowRuntime<Ctx<S>>(new FlowStore(db), limits.flowIdleMinutes, (actor, now) => this.screens.visibleFlow(screenKey(actor), now));
    for (const flow of routes.flows) this.runtime.register(flow);
  }

  /**
   * Claims a platform delivery id once: false for a retry or duplicate. Adapters call it before
   * doing anything visible (a "working" note), then hand the event over without the id.
   */
  claimDelivery(platform: string, id: string): boolean {
    return this.ledger.claim(`${platform}:${id}`);
  }

  releaseDelivery(platform: string, id: string): void {
    this.ledger.release(`${platform}:${id}`);
  }

  /** Whether answering this command may take a while: the adapter shows progress at once. */
  isSlow(command: string, args: string): boolean {
    const route = Object.hasOwn(this.routes.commands, command) ? this.routes.commands[command] : undefined;
    return Boolean(route?.slow?.(args));
  }

  /** The file purpose a message that carries a file asks for, or null (then it is a message). */
  fileRequest(text: string): string | null {
    return Object.entries(this.routes.files).find(([, route]) => route.asks(text))?.[0] ?? null;
  }

  /** A command line that names a local file to upload (the terminal), or null. */
  localFileRequest(command: string, args: string): { purpose: string; path: string; args?: string } | null {
    for (const [purpose, route] of Object.entries(this.routes.files)) {
      const found = route.localFile?.(command, args);
      if (found) return { purpose, ...found };
    }
    return null;
  }

  /** The purpose of a file attached to this command (a platform's file option), or null. */
  commandFilePurpose(command: string): string | null {
    return Object.entries(this.routes.files).find(([, route]) => route.command === command)?.[0] ?? null;
  }

  mayUpload(actor: InboundEvent['actor'], purpose: string): boolean {
    const route = Object.hasOwn(this.routes.files, purpose) ? this.routes.files[purpose] : undefined;
    if (!route) return false;
    return route.allowed ? route.allowed(this.ctx({ kind: 'message', actor, text: '' })) : true;
  }

  /** Autocomplete candidates for a field (by its neutral id), filtered by what is typed. */
  complete(field: string, typed: string): string[] {
    const route = Object.hasOwn(this.routes.completions, field) ? this.routes.completions[field] : undefined;
    return route ? route(this.services, typed.normalize('NFKC').trim()) : [];
  }

  /** The menu, as a greeting (see EngineApi.welcome). */
  welcome(actor?: InboundEvent['actor']): Reply {
    const menu = this.routes.help(this.services);
    const left = actor ? this.runtime.unfinished(actor, this.clock()) : null;
    return left ? { ...menu, blocks: [{ type: 'text', text: M.unfinishedFlow(left.name) }, ...menu.blocks] } : menu;
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

  private ctx(event: InboundEvent): Ctx<S> {
    return { actor: event.actor, now: this.clock(), services: this.services, runtime: this.runtime };
  }

  async handle(event: InboundEvent): Promise<EngineResult> {
    if (!this.accepting) return { replies: [text(M.maintenance, { ephemeral: true })], effects: [] };
    this.inFlight++;
    let claimed = false;
    try {
      if (event.eventId && !(claimed = this.claimDelivery(event.actor.platform, event.eventId))) return { replies: [], effects: [], duplicate: true };
      const ctx = this.ctx(event);
      const key = `${event.actor.platform}:${event.actor.userId}`;
      // a flow's steps come in bursts (a checklist is a dozen of them, clicked or typed), so they
      // have a roomier bucket of their own: they are not questions
      const step = this.isStep(ctx, event);
      if (!(step ? this.stepLimiter : this.limiter).allow(key, ctx.now)) {
        const perMinute = this.limits.rateLimitPerMinute;
        return { replies: [text(step ? M.rateLimitedSteps(perMinute * STEPS_PER_QUESTION) : M.rateLimited(perMinute), { ephemeral: true })], effects: [] };
      }
      const result = await this.turns.run(() => this.dispatch(ctx, event));
      this.screens.remember(screenKey(event.actor), result.replies, ctx.now);
      return { replies: result.replies, effects: result.effects };
    } catch (error) {
      this.logger.error({ err: error, kind: event.kind, platform: event.actor.platform }, 'イベントの処理に失敗しました');
      // the state changes of the event were rolled back: give the claim back so a retry is handled
      if (claimed && event.eventId) {
        try {
          this.releaseDelivery(event.actor.platform, event.eventId);
        } catch (releaseError) {
          this.logger.error({ err: releaseError }, '処理済みの記録を取り消せませんでした');
        }
      }
      return { replies: [text(M.internalError, { ephemeral: true })], effects: [], failed: true };
    } finally {
      this.inFlight--;
    }
  }

  private async dispatch(ctx: Ctx<S>, event: InboundEvent): Promise<Handled> {
    const max = this.limits.maxMessageChars;
    const routes = this.routes;
    switch (event.kind) {
      case 'command': {
        const args = stripControlCharacters(event.args).trim();
        if (args.length > max) return handled([text(M.tooLong(max, args.length), { ephemeral: true })]);
        return runCommand(routes, ctx, event.command, args);
      }
      case 'message': {
        const body = stripControlCharacters(event.text).trim();
        // one line, not the whole menu again (an Enter pressed by mistake in the terminal)
        if (!body) return handled([text(M.emptyMessage)]);
        if (body.length > max) return handled([text(M.tooLong(max, body.length))]);
        return this.message(ctx, body);
      }
      case 'action': {
        const exact = Object.hasOwn(routes.actions, event.action) ? routes.actions[event.action] : undefined;
        if (exact) return exact(ctx, event.value, event.values);
        const ns = namespaceOf(event.action);
        const namespace = event.action.includes(':') && Object.hasOwn(routes.actionNamespaces, ns) ? routes.actionNamespaces[ns] : undefined;
        if (namespace) return namespace(ctx, event.action, event.value, event.values);
        return (await this.runtime.handle(ctx, { kind: 'action', action: event.action, value: event.value, ...(event.values ? { values: event.values } : {}) })) ?? handled([text(M.staleAction, { ephemeral: true })]);
      }
      case 'form': {
        const fields = Object.fromEntries(Object.entries(event.fields).map(([k, v]) => [k, stripControlCharacters(String(v)).slice(0, max)]));
        const exact = Object.hasOwn(routes.forms, event.formId) ? routes.forms[event.formId] : undefined;
        if (exact) return exact(ctx, event.formId, event.state, fields);
        const ns = namespaceOf(event.formId);
        const namespace = event.formId.includes(':') && Object.hasOwn(routes.formNamespaces, ns) ? routes.formNamespaces[ns] : undefined;
        if (namespace) return namespace(ctx, event.formId, event.state, fields);
        const choices = event.choices ? { choices: Object.fromEntries(Object.entries(event.choices).map(([k, v]) => [k, v.map((x) => stripControlCharacters(String(x)).slice(0, max))])) } : {};
        return (await this.runtime.handle(ctx, { kind: 'form', formId: event.formId, fields, ...choices })) ?? handled([text(M.staleAction, { ephemeral: true })]);
      }
      case 'file': {
        if (event.data.length > this.limits.maxUploadBytes) {
          return handled([text(M.fileTooLarge(Math.round(event.data.length / 1024), Math.round(this.limits.maxUploadBytes / 1024)), { ephemeral: true })]);
        }
        const route = Object.hasOwn(routes.files, event.purpose) ? routes.files[event.purpose] : undefined;
        if (!route) return handled([text(M.staleAction, { ephemeral: true })]);
        // the route may do slow work (reading, checking, writing a large file in short batches) outside the turn: other users keep being served
        return route.run(ctx, event.fileName, event.data, event.args ?? '', (io) => this.turns.outside(io));
      }
    }
  }

  /** Whether an event is a flow's step or a click (the step bucket), rather than a question or a command. */
  private isStep(ctx: Ctx<S>, event: InboundEvent): boolean {
    if (event.kind === 'action' || event.kind === 'form') return true;
    if (event.kind !== 'message') return false;
    const body = stripControlCharacters(event.text).trim();
    if (!body || this.routes.typedCommand.test(body)) return false;
    return this.typedChoice(ctx, body) !== null || this.runtime.takesText(ctx, body);
  }

  /** The choice on the user's screen that a typed text names: the remembered screen, else the active flow's step. */
  private typedChoice(ctx: Ctx<S>, body: string): TypedChoice | null {
    // asked twice per message (the rate-limit bucket, then dispatch): looked up once
    if (this.typed.has(ctx)) return this.typed.get(ctx)!;
    const choice = this.lookUpChoice(ctx, body);
    this.typed.set(ctx, choice);
    return choice;
  }

  private lookUpChoice(ctx: Ctx<S>, body: string): TypedChoice | null {
    const shown = this.screens.current(screenKey(ctx.actor), ctx.now);
    if (shown) {
      const found = findChoice(shown, body);
      // the buttons of a flow that has ended since are no longer choices (「やめる」 twice is not a stale click)
      const flowId = found ? parseFlowAction(found.action)?.flowId : undefined;
      return flowId !== undefined && this.runtime.peek(ctx)?.flow.id !== flowId ? null : found;
    }
    // nothing remembered (a restart): the active flow's step is what the user last saw of it
    if (this.screens.visibleFlow(screenKey(ctx.actor), ctx.now) !== undefined) return null;
    const step = this.runtime.screen(ctx);
    return step ? findChoice(choicesOfReplies(step), body) : null;
  }

  private async message(ctx: Ctx<S>, body: string): Promise<Handled> {
    const routes = this.routes;
    // a slash command typed as text (the terminal, or a DM)
    if (routes.typedCommand.test(body)) return runCommandLine(routes, ctx, body);
    // a choice's own label typed (「次へ」「中断する」「👍」) does what pressing it does
    const choice = this.typedChoice(ctx, body);
    if (choice) {
      if (choice.disabled) return handled([text(M.choiceUnavailable(choice.label), { ephemeral: true })]);
      const pressed = await this.dispatch(ctx, { kind: 'action', actor: ctx.actor, action: choice.action, value: choice.value, ...(choice.values ? { values: choice.values } : {}) });
      // a typed message has no message of its own to edit: the replies are posted
      return { ...pressed, replies: pressed.replies.map(({ replaceOriginal: _edit, ...r }) => r) };
    }
    // 「やめる」「戻る」 act on the flow the user sees, never on one hidden behind later answers or views
    const cancel = CANCEL_WORDS.test(body);
    if (cancel || BACK_WORDS.test(body)) {
      const active = this.runtime.peek(ctx);
      const shown = this.screens.visibleFlow(screenKey(ctx.actor), ctx.now);
      if (!active || (shown !== undefined && shown !== active.flow.id)) return handled([text(cancel ? M.nothingToCancel : M.nothingToGoBack)]);
    }
    const inFlow = await this.runtime.handle(ctx, { kind: 'text', text: body });
    if (inFlow) return inFlow;
    const intent = routes.intents.detect(ctx, body);
    const route = Object.hasOwn(routes.intents.routes, intent) ? routes.intents.routes[intent] : undefined;
    return (route ?? routes.intents.fallback)(ctx, body);
  }
}
