/**
 * Posting on Slack without stalling (issue 18). A channel the bot was not invited to answers
 * chat.postMessage and chat.postEphemeral with `not_in_channel` (and a deleted or hidden one with
 * `channel_not_found`; a missing scope with `missing_scope`): the reply then goes to the user's DM
 * with a line that says what to do, and the problem is logged once per channel.
 * https://api.slack.com/methods/chat.postMessage#errors
 */
import type { WebClient } from '@slack/web-api';
import { V, type Logger } from '../../src/core.js';
import type { SlackMessage } from './render.js';

/** The errors that mean "the bot cannot post here", not "Slack is down". */
const CHANNEL_ERRORS = new Set(['not_in_channel', 'channel_not_found', 'missing_scope', 'restricted_action', 'is_archived', 'no_permission', 'ekm_access_denied', 'team_access_not_granted']);

/** The Slack error code of a Web API failure when it is a channel access problem, else null. */
export function channelError(error: unknown): string | null {
  const code = (error as { data?: { error?: unknown } } | undefined)?.data?.error;
  return typeof code === 'string' && CHANNEL_ERRORS.has(code) ? code : null;
}

/** Channels already reported, so the log says it once per channel and not once per message. */
const reported = new Set<string>();

/** Where and how to post: the channel (and thread), the user, and whether only the user should see it. */
export interface PostTarget {
  channel: string;
  user: string;
  thread?: string;
  ephemeral: boolean;
}

/**
 * Posts a message (ephemeral in a channel when asked); when the channel refuses the bot, sends it
 * to the user's DM instead with the instruction on top. Other failures are thrown as before.
 */
export async function postOrDm(web: WebClient, at: PostTarget, message: SlackMessage, log: Logger): Promise<void> {
  const thread = at.thread ? { thread_ts: at.thread } : {};
  const direct = at.channel.startsWith('D');
  try {
    if (at.ephemeral && !direct) await web.chat.postEphemeral({ channel: at.channel, user: at.user, text: message.text, blocks: message.blocks as never, ...thread });
    else await web.chat.postMessage({ channel: at.channel, text: message.text, blocks: message.blocks as never, ...thread });
    return;
  } catch (error) {
    const code = channelError(error);
    if (!code || direct) throw error;
    if (!reported.has(at.channel)) {
      reported.add(at.channel);
      log.warn({ channel: at.channel, error: code }, 'チャンネルに投稿できないため、ダイレクトメッセージで返信します（ボットをチャンネルに招待するか、権限を確認してください）');
    }
  }
  const note = { type: 'context', elements: [{ type: 'mrkdwn', text: V.inviteBotSlack }] };
  try {
    // posting to a user id opens the app's DM with them (chat:write, im:write)
    await web.chat.postMessage({ channel: at.user, text: `${V.inviteBotSlack}\n${message.text}`, blocks: [note, ...message.blocks] as never });
  } catch (error) {
    log.error({ err: error, channel: at.channel }, 'チャンネルにもダイレクトメッセージにも返信できませんでした');
  }
}

/** A response_url reply, for a modal submitted from a message (its url kept in the view's metadata). */
export async function respondTo(url: string, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`response_url ${res.status}`);
}
