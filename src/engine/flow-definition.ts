/**
 * What a flow is (see flow.ts for the runtime that runs one): its definition, the inputs a step
 * gets, what a step returns, and the words and action ids every flow understands. Domains import
 * this to define their flows; only the engine imports the runtime.
 */
import type { z } from 'zod';
import type { Effect, Reply } from './types.js';

export type FlowInput =
  | { kind: 'text'; text: string }
  | { kind: 'action'; action: string; value: string; values?: string[] }
  | { kind: 'form'; formId: string; fields: Record<string, string>; choices?: Record<string, string[]> };

export interface StepOutcome<S> {
  /** The next state; undefined when the flow is finished. */
  state?: S;
  replies: Reply[];
  effects?: Effect[];
  /** Stay on the same step in the history (a hint, a page turn): 「戻る」 skips it. */
  sameStep?: boolean;
  /**
   * The step's own writes (a submission, a request), run by the runtime in one transaction with
   * the flow's next state: both land or neither does, so a retry after a failure finds the flow
   * where it was and never writes twice. What it returns follows the replies above.
   */
  commit?: () => { replies: Reply[]; effects?: Effect[] };
}

export interface FlowDefinition<S, C> {
  id: string;
  /** Japanese name shown to users (「市町村チェックリスト」). */
  name: string;
  /** Bump when the state's shape changes: older saved states are then restarted, not misread. */
  version: number;
  schema: z.ZodType<S>;
  /** Whether free text goes to the flow (a questionnaire) or is treated as a normal message (a search view). */
  capturesText: boolean;
  /** Keep the state when the user leaves or the flow times out, to resume later (the checklist). */
  keepsDraft?: boolean;
  /** Only the acting user sees its replies (a questionnaire with a municipality's answers): Slack and Discord ephemeral. */
  private?: boolean;
  /**
   * Its steps fit one multi-step dialog (a Slack modal) where the platform has one: every result's
   * last step (or the reply carrying `dialog`) becomes a dialog step with this title.
   */
  dialog?: { title: string };
  start(ctx: C, args: string): Promise<StepOutcome<S>> | StepOutcome<S>;
  step(state: S, input: FlowInput, ctx: C): Promise<StepOutcome<S>> | StepOutcome<S>;
  /** Shows the current step again (after 「戻る」 or on resume). */
  render(state: S, ctx: C): Reply[];
}

export const CANCEL_WORDS = /^(やめる|止める|やめます|やめて|キャンセル|中止|中断|中断する|終了|cancel|quit|exit)[。!！]?$/i;
export const BACK_WORDS = /^(戻る|もどる|戻って|ひとつ前|一つ前|back)[。!！]?$/i;

/** The prefix of every flow action id: `flow:<flowId>:<name>`. */
export const flowAction = (flowId: string, name: string): string => `flow:${flowId}:${name}`;

export function parseFlowAction(action: string): { flowId: string; name: string } | null {
  const m = /^flow:([a-z-]+):(.+)$/.exec(action);
  return m ? { flowId: m[1]!, name: m[2]! } : null;
}

export interface FlowHandled {
  replies: Reply[];
  effects: Effect[];
}
