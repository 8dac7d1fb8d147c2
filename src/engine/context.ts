/**
 * What every handler gets: the actor, the time, the services the composition root built, and
 * the flow runtime. The engine never looks inside the services: each domain declares the ones it
 * needs (its `context.ts`), and src/app.ts builds them all once (`createServices`).
 */
import type { Actor, Effect, Reply } from './types.js';

/** Starting and resuming flows from a handler (the engine's FlowRuntime). */
export interface FlowControl<C> {
  /** Starts (or restarts) a flow, replacing whatever was active in the conversation. */
  start(ctx: C, flowId: string, args: string): Promise<Handled>;
  /** Resumes a paused draft at the step it stopped, or null when there is none. */
  resume(ctx: C, flowId: string): Handled | null;
}

/** The context of one event, over the services `S` a handler needs. */
export interface Ctx<S> {
  actor: Actor;
  now: number;
  services: S;
  runtime: FlowControl<Ctx<S>>;
}

/** What a handler returns: replies to the actor and effects elsewhere. */
export interface Handled {
  replies: Reply[];
  effects: Effect[];
}

export const handled = (replies: Reply[], effects: Effect[] = []): Handled => ({ replies, effects });
