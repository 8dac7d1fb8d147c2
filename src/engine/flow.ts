/**
 * Flows as explicit state machines. A flow is data plus a pure-ish `step(state, input)` that
 * returns the next state and the replies; the runtime persists the state in SQLite after every
 * step (keyed by platform, workspace, channel and user), so a flow survives a restart and resumes
 * where it stopped. The runtime also gives every flow the same manners: 「やめる」「キャンセル」
 * end it, 「戻る」 goes back one step, an idle flow expires with a message, and a state saved by an
 * older version of a flow is never misread. A flow whose steps fit a dialog (`dialog`) gets its
 * replies marked as dialog steps: opened when the flow starts or resumes, done when it ends, and a
 * close action that keeps the draft when the user closes the dialog half-way.
 */
import { BACK_WORDS, CANCEL_WORDS, flowAction, parseFlowAction, type FlowDefinition, type FlowHandled, type FlowInput } from './flow-definition.js';
import { M } from '../messages/core.js';
import { conversationKey, type FlowStore } from '../store/flows.js';
import type { Actor, Dialog, Reply } from './types.js';
import { text } from './types.js';
import { inPlace, privately } from './visibility.js';

interface Persisted {
  s: unknown;
  paused?: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFlow<C> = FlowDefinition<any, C>;

export class FlowRuntime<C extends { actor: Actor; now: number }> {
  private readonly flows = new Map<string, AnyFlow<C>>();

  /**
   * `visibleFlow` tells which flow the user sees (the engine's Screens): a flow that another
   * screen has since covered is replaced without a notice naming it.
   */
  constructor(
    private readonly store: FlowStore,
    private readonly idleMinutes: number,
    private readonly visibleFlow: (actor: Actor, now: number) => string | null | undefined = () => undefined,
  ) {}

  register(flow: AnyFlow<C>): void {
    this.flows.set(flow.id, flow);
  }

  get(id: string): AnyFlow<C> | undefined {
    return this.flows.get(id);
  }

  private key(actor: Actor): string {
    return conversationKey({ platform: actor.platform, workspace: actor.workspaceId, channel: actor.channelId, userId: actor.userId });
  }

  private save(ctx: C, flow: AnyFlow<C>, persisted: Persisted, history: unknown[]): void {
    const a = ctx.actor;
    this.store.save(
      { platform: a.platform, workspace: a.workspaceId, channel: a.channelId, userId: a.userId },
      { flowId: flow.id, flowVersion: flow.version, state: persisted, history, updatedAt: ctx.now, expiresAt: ctx.now + this.idleMinutes * 60_000 },
    );
  }

  /** The active (not paused) flow of the conversation, if any, after applying expiry. */
  active(ctx: C): { flow: AnyFlow<C>; state: unknown; notices: Reply[] } | null {
    const record = this.store.get(this.key(ctx.actor));
    if (!record) return null;
    const flow = this.flows.get(record.flowId);
    const persisted = record.state as Persisted;
    if (!flow || record.flowVersion !== flow.version || !flow.schema.safeParse(persisted.s).success) {
      this.store.delete(record.convKey);
      return null;
    }
    if (persisted.paused) return null;
    if (ctx.now > record.expiresAt) {
      if (flow.keepsDraft) this.save(ctx, flow, { s: persisted.s, paused: true }, record.history);
      else this.store.delete(record.convKey);
      return { flow, state: null, notices: [text(flow.keepsDraft ? M.flowExpiredKeepDraft(M.flowExpired(flow.name, this.idleMinutes)) : M.flowExpired(flow.name, this.idleMinutes))] };
    }
    return { flow, state: flow.schema.parse(persisted.s), notices: [] };
  }

  /**
   * The conversation's active flow and its state, read only (no expiry applied, nothing saved):
   * null when there is none, it is paused or expired, or its state no longer reads.
   */
  peek(ctx: C): { flow: AnyFlow<C>; state: unknown } | null {
    const record = this.store.get(this.key(ctx.actor));
    if (!record || ctx.now > record.expiresAt) return null;
    const flow = this.flows.get(record.flowId);
    const persisted = record.state as Persisted;
    if (!flow || persisted.paused || record.flowVersion !== flow.version) return null;
    const parsed = flow.schema.safeParse(persisted.s);
    return parsed.success ? { flow, state: parsed.data } : null;
  }

  /** Whether a typed text is a step of the active flow (its input, or 「やめる」「戻る」), not a question. */
  takesText(ctx: C, text: string): boolean {
    const active = this.peek(ctx);
    return Boolean(active && (active.flow.capturesText || CANCEL_WORDS.test(text.trim()) || BACK_WORDS.test(text.trim())));
  }

  /** What the active flow shows now (its current step rendered again), or null: the screen when the engine has none in memory. */
  screen(ctx: C): Reply[] | null {
    const active = this.peek(ctx);
    return active ? active.flow.render(active.state, ctx) : null;
  }

  /**
   * The flow this actor left unfinished in this conversation (a paused draft, or one still open),
   * read only: for telling a returning user at the start that it is waiting.
   */
  unfinished(actor: Actor, now: number): { name: string } | null {
    const record = this.store.get(this.key(actor));
    if (!record) return null;
    const flow = this.flows.get(record.flowId);
    const persisted = record.state as Persisted;
    if (!flow || record.flowVersion !== flow.version || !flow.schema.safeParse(persisted.s).success) return null;
    // an expired flow that keeps no draft is gone; one that keeps a draft waits for the user
    if (now > record.expiresAt && !flow.keepsDraft) return null;
    return { name: flow.name };
  }

  /** A paused draft of the given flow (the checklist left half-way), if any. */
  draft(ctx: C, flowId: string): { state: unknown; history: unknown[] } | null {
    const record = this.store.get(this.key(ctx.actor));
    if (!record || record.flowId !== flowId) return null;
    const flow = this.flows.get(flowId);
    const persisted = record.state as Persisted;
    if (!flow || record.flowVersion !== flow.version || !flow.schema.safeParse(persisted.s).success) return null;
    return { state: persisted.s, history: record.history };
  }

  /** Starts (or restarts) a flow, replacing whatever was active in this conversation. */
  async start(ctx: C, flowId: string, args: string): Promise<FlowHandled> {
    const flow = this.flows.get(flowId);
    if (!flow) throw new Error(`unknown flow ${flowId}`);
    const current = this.store.get(this.key(ctx.actor));
    const notices: Reply[] = [];
    if (current && current.flowId !== flowId && !(current.state as Persisted).paused && ctx.now <= current.expiresAt) {
      const old = this.flows.get(current.flowId);
      const shown = this.visibleFlow(ctx.actor, ctx.now);
      // only the flow on the screen is named: one hidden behind later answers is simply replaced
      if (old && !old.keepsDraft && (shown === undefined || shown === old.id)) notices.push(text(M.flowReplaced(old.name)));
    }
    const outcome = await flow.start(ctx, args);
    if (outcome.state === undefined) {
      // nothing to keep: but a paused draft of another flow must survive a one-shot command
      if (current && current.flowId === flowId) this.store.delete(current.convKey);
    } else {
      this.save(ctx, flow, { s: outcome.state }, []);
    }
    // the notice rides on the first step instead of posting a message of its own
    const [head, ...rest] = outcome.replies;
    const replies = head && notices.length ? [{ ...head, blocks: [...notices.flatMap((n) => n.blocks), ...head.blocks] }, ...rest] : [...notices, ...outcome.replies];
    return this.shape(flow, { replies, effects: outcome.effects ?? [] }, undefined, { open: true, done: outcome.state === undefined });
  }

  /**
   * A flow's replies: private when the flow is; a button press or a form edits the message it came
   * from; in a dialog flow, the step is marked for the dialog (opened on start, done at the end).
   */
  private shape(flow: AnyFlow<C>, result: FlowHandled, input?: FlowInput, stage: { open?: boolean; done?: boolean } = {}): FlowHandled {
    const shaped = flow.private ? privately(result) : result;
    const placed = input?.kind === 'action' || input?.kind === 'form' ? inPlace(shaped) : shaped;
    return flow.dialog ? asDialog(flow, placed, stage) : placed;
  }

  /** Resumes a paused draft at the step it stopped. */
  resume(ctx: C, flowId: string): FlowHandled | null {
    const flow = this.flows.get(flowId);
    const d = this.draft(ctx, flowId);
    if (!flow || !d) return null;
    this.save(ctx, flow, { s: d.state }, d.history);
    return this.shape(flow, { replies: flow.render(d.state, ctx), effects: [] }, undefined, { open: true });
  }

  /**
   * Gives the input to the active flow. Returns null when no flow takes it (no active flow, or a
   * search view that does not capture free text).
   */
  async handle(ctx: C, input: FlowInput): Promise<FlowHandled | null> {
    const act = this.active(ctx);
    if (!act) {
      if (input.kind === 'action' && parseFlowAction(input.action)) return { replies: [text(M.staleAction, { ephemeral: true })], effects: [] };
      return null;
    }
    const { flow } = act;
    if (act.state === null) {
      // expired just now: tell the user, and let a text message be handled normally afterwards
      if (input.kind === 'text') return { replies: act.notices, effects: [] };
      return { replies: [...act.notices, text(M.staleAction, { ephemeral: true })], effects: [] };
    }
    const key = this.key(ctx.actor);
    const record = this.store.get(key)!;
    if (input.kind === 'action') {
      const parsed = parseFlowAction(input.action);
      if (!parsed || parsed.flowId !== flow.id) return parsed ? { replies: [text(M.staleAction, { ephemeral: true })], effects: [] } : null;
    }
    if (input.kind === 'text') {
      const t = input.text.trim();
      if (CANCEL_WORDS.test(t)) {
        this.leave(ctx, flow, act.state, record.history);
        return this.shape(flow, { replies: [text(flow.keepsDraft ? M.flowCancelledKeepDraft(flow.name) : M.flowCancelled(flow.name))], effects: [] }, undefined, { done: true });
      }
      if (BACK_WORDS.test(t)) return this.shape(flow, this.back(ctx, flow, record.history, act.state));
      if (!flow.capturesText) return null;
    }
    if (input.kind === 'action' && parseFlowAction(input.action)?.name === 'close') {
      // the user closed the flow's dialog half-way: the draft is kept (or the flow ends), and nothing
      // more is said, so that text typed in the channel afterwards is not taken as an answer
      this.leave(ctx, flow, act.state, record.history);
      return { replies: [], effects: [] };
    }
    if (input.kind === 'action' && parseFlowAction(input.action)?.name === 'cancel') {
      // the cancelled step's message is replaced, so its buttons are gone
      return this.shape(flow, (await this.handle(ctx, { kind: 'text', text: 'やめる' }))!, input, { done: true });
    }
    if (input.kind === 'action' && parseFlowAction(input.action)?.name === 'back') return this.shape(flow, this.back(ctx, flow, record.history, act.state), input);
    const outcome = await flow.step(act.state, input, ctx);
    const committed = this.store.transaction(() => {
      const done = outcome.commit?.();
      if (outcome.state === undefined) this.store.delete(key);
      else this.save(ctx, flow, { s: outcome.state }, outcome.sameStep ? record.history : [...record.history, act.state]);
      return done;
    });
    return this.shape(flow, { replies: [...outcome.replies, ...(committed?.replies ?? [])], effects: [...(outcome.effects ?? []), ...(committed?.effects ?? [])] }, input, { done: outcome.state === undefined });
  }

  /** Leaves the flow: its draft paused when the flow keeps one, else the flow ends. */
  private leave(ctx: C, flow: AnyFlow<C>, state: unknown, history: unknown[]): void {
    if (flow.keepsDraft) this.save(ctx, flow, { s: state, paused: true }, history);
    else this.store.delete(this.key(ctx.actor));
  }

  /** One step back; at the first step, says so and shows that step again (its message or dialog is replaced). */
  private back(ctx: C, flow: AnyFlow<C>, history: unknown[], current: unknown): FlowHandled {
    const atStart = (): FlowHandled => ({ replies: [text(M.flowBackAtStart), ...flow.render(current, ctx)], effects: [] });
    if (!history.length) return atStart();
    const previous = history[history.length - 1];
    const parsed = flow.schema.safeParse(previous);
    if (!parsed.success) return atStart();
    this.save(ctx, flow, { s: parsed.data }, history.slice(0, -1));
    return { replies: flow.render(parsed.data, ctx), effects: [] };
  }

  /** Ends the conversation's flow (whatever it is). */
  end(actor: Actor): void {
    this.store.delete(this.key(actor));
  }
}

/**
 * A dialog flow's result as a dialog step: the reply that carries `dialog` (or else the last one)
 * gets the flow's title, whether it opens the dialog or ends it, and the action a close sends; the
 * other replies are notes shown with it.
 */
function asDialog<C>(flow: AnyFlow<C>, result: FlowHandled, stage: { open?: boolean; done?: boolean }): FlowHandled {
  const marked = result.replies.map((r) => Boolean(r.dialog));
  const at = marked.lastIndexOf(true) >= 0 ? marked.lastIndexOf(true) : result.replies.length - 1;
  if (at < 0) return result;
  return {
    ...result,
    replies: result.replies.map((r, i): Reply => {
      if (i !== at) return r;
      const own: Omit<Dialog, 'title'> = { ...r.dialog };
      delete own.open;
      delete own.done;
      delete own.closeAction;
      return {
        ...r,
        dialog: {
          ...own,
          title: r.dialog?.title || flow.dialog!.title,
          ...(stage.open ? { open: true } : {}),
          ...(stage.done ? { done: true } : { closeAction: flowAction(flow.id, 'close') }),
        },
      };
    }),
  };
}
