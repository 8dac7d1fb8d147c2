/**
 * Slack payloads to neutral events. Payloads are parsed with zod; a shape we do not know becomes
 * null (logged and acknowledged by the caller), never a thrown error.
 */
import { z } from 'zod';
import { COMMANDS, type Actor, type CommandName } from '../../src/core.js';
import { neutralAction } from './render.js';

export const CommandPayload = z.object({
  command: z.string(),
  text: z.string().default(''),
  user_id: z.string().min(1),
  user_name: z.string().optional(),
  team_id: z.string().default(''),
  channel_id: z.string().min(1),
  channel_name: z.string().optional(),
  trigger_id: z.string().optional(),
  response_url: z.string().optional(),
});

export function commandName(raw: string): CommandName | null {
  const name = raw.replace(/^\//, '');
  return (COMMANDS as readonly string[]).includes(name) ? (name as CommandName) : null;
}

export const MessageEvent = z.object({
  type: z.string(),
  user: z.string().min(1),
  text: z.string().default(''),
  channel: z.string().min(1),
  channel_type: z.string().optional(),
  ts: z.string(),
  thread_ts: z.string().optional(),
  team: z.string().optional(),
  bot_id: z.string().optional(),
  subtype: z.string().optional(),
  files: z.array(z.object({ id: z.string(), name: z.string().optional(), url_private: z.string().optional(), size: z.number().optional() })).optional(),
});
export type MessageEvent = z.infer<typeof MessageEvent>;

export const BlockActionPayload = z.object({
  type: z.literal('block_actions'),
  user: z.object({ id: z.string(), name: z.string().optional(), team_id: z.string().optional() }),
  team: z.object({ id: z.string() }).nullable().optional(),
  channel: z.object({ id: z.string() }).optional(),
  container: z.object({ message_ts: z.string().optional(), thread_ts: z.string().optional(), is_ephemeral: z.boolean().optional() }).passthrough().optional(),
  message: z.object({ ts: z.string().optional(), thread_ts: z.string().optional() }).passthrough().optional(),
  trigger_id: z.string().optional(),
  response_url: z.string().optional(),
  /** Present when the element is inside a modal (a dialog walked in it). */
  view: z.object({ id: z.string(), hash: z.string().optional(), callback_id: z.string().optional(), private_metadata: z.string().optional(), title: z.object({ text: z.string() }).optional() }).optional(),
  actions: z
    .array(
      z.object({
        action_id: z.string(),
        type: z.string(),
        value: z.string().optional(),
        selected_option: z.object({ value: z.string() }).nullable().optional(),
        selected_options: z.array(z.object({ value: z.string() })).optional(),
      }),
    )
    .min(1),
});
export type BlockActionPayload = z.infer<typeof BlockActionPayload>;

export const ViewSubmissionPayload = z.object({
  type: z.literal('view_submission'),
  user: z.object({ id: z.string(), name: z.string().optional() }),
  team: z.object({ id: z.string() }).nullable().optional(),
  view: z.object({
    private_metadata: z.string().default('{}'),
    state: z.object({ values: z.record(z.string(), z.record(z.string(), z.object({ value: z.string().nullable().optional() }))) }),
  }),
});

const InputState = z.object({
  value: z.string().nullable().optional(),
  selected_option: z.object({ value: z.string() }).nullable().optional(),
  selected_options: z.array(z.object({ value: z.string() })).optional(),
});

/** A dialog view submitted (its inputs may be text or selects) or closed. */
export const DialogViewPayload = z.object({
  type: z.enum(['view_submission', 'view_closed']),
  user: z.object({ id: z.string(), name: z.string().optional() }),
  team: z.object({ id: z.string() }).nullable().optional(),
  view: z.object({
    id: z.string(),
    hash: z.string().optional(),
    private_metadata: z.string().default(''),
    title: z.object({ text: z.string() }).optional(),
    state: z.object({ values: z.record(z.string(), z.record(z.string(), InputState)) }).optional(),
  }),
});
export type DialogViewPayload = z.infer<typeof DialogViewPayload>;

export function actorFromMessage(e: MessageEvent, team: string): Actor {
  const direct = e.channel_type === 'im' || e.channel.startsWith('D');
  const thread = e.thread_ts ?? (direct ? undefined : e.ts);
  return { platform: 'slack', userId: e.user, workspaceId: e.team ?? team, channelId: e.channel, ...(thread ? { threadId: thread } : {}), isDirect: direct };
}

/** The neutral action of a block action: its id without the uniqueness suffix, its value(s). */
export function actionEvent(p: BlockActionPayload): { action: string; value: string; values?: string[] } {
  const a = p.actions[0]!;
  const values = a.selected_options?.map((o) => o.value) ?? (a.selected_option ? [a.selected_option.value] : undefined);
  return { action: neutralAction(a.action_id), value: a.value ?? values?.[0] ?? '', ...(values ? { values } : {}) };
}

/** Removes the bot's own mention from an app_mention text. */
export function stripMentions(text: string): string {
  return text.replace(/<@[A-Z0-9]+(\|[^>]*)?>/g, '').replace(/\s+/g, ' ').trim();
}
