/**
 * Replies on Slack: where the replies to one event go (a response_url, or the channel or thread,
 * replacing the "working" placeholder), modals for forms, file uploads, and effects the core
 * addresses to Slack (hand-offs to the desk channel, notices to a user).
 */
import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Effect, Form, Logger, Reply, ReplySink } from '../../src/core.js';
import { renderMessages, renderModal } from './render.js';

/** Where an event came from: its channel (or DM), the user, and the thread if any. */
export interface Where {
  channel: string;
  user: string;
  thread?: string;
}

const inThread = (thread?: string): { thread_ts?: string } => (thread ? { thread_ts: thread } : {});

async function upload(web: WebClient, at: Where, file: NonNullable<Reply['file']>): Promise<void> {
  // an image carries its alt text (files.getUploadURLExternal), read by screen readers in Slack
  const args = { channel_id: at.channel, ...inThread(at.thread), file: file.data, filename: file.name, ...(file.comment ? { initial_comment: file.comment } : {}), ...(file.alt ? { alt_text: file.alt } : {}) };
  await web.files.uploadV2(args as never);
}

/**
 * Replies to a slash command, a button or a form submission: through its response_url when there
 * is one, else posted (ephemeral where only the user should see it); forms open as modals when
 * Slack gave a trigger id.
 */
export function responseSink(web: WebClient, at: Where, respond?: RespondFn, triggerId?: string): ReplySink {
  return {
    async post(reply) {
      for (const message of renderMessages(reply)) {
        if (respond) {
          await respond({ response_type: reply.ephemeral ? 'ephemeral' : 'in_channel', replace_original: Boolean(reply.replaceOriginal), text: message.text, blocks: message.blocks as never });
        } else if (reply.ephemeral && !at.channel.startsWith('D')) {
          await web.chat.postEphemeral({ channel: at.channel, user: at.user, text: message.text, blocks: message.blocks as never, ...inThread(at.thread) });
        } else {
          await web.chat.postMessage({ channel: at.channel, text: message.text, blocks: message.blocks as never, ...inThread(at.thread) });
        }
      }
    },
    async openForm(form: Form) {
      if (!triggerId) return false;
      await web.views.open({ trigger_id: triggerId, view: renderModal(form, { channel: at.channel, ...(at.thread ? { thread: at.thread } : {}) }) as never });
      return true;
    },
    sendFile: (file) => upload(web, at, file),
  };
}

/**
 * Replies to a mention or a direct message, in its thread (or the DM): the first message replaces
 * the placeholder the user saw while the answer was prepared; ephemeral replies stay ephemeral
 * outside DMs.
 */
export function threadSink(web: WebClient, at: Where & { direct: boolean }, placeholderTs?: string): ReplySink {
  return {
    async post(reply, first) {
      for (const [n, message] of renderMessages(reply).entries()) {
        if (reply.ephemeral && !at.direct) {
          await web.chat.postEphemeral({ channel: at.channel, user: at.user, text: message.text, blocks: message.blocks as never, ...inThread(at.thread) });
        } else if (first && n === 0 && placeholderTs) {
          await web.chat.update({ channel: at.channel, ts: placeholderTs, text: message.text, blocks: message.blocks as never });
        } else {
          await web.chat.postMessage({ channel: at.channel, text: message.text, blocks: message.blocks as never, ...inThread(at.thread) });
        }
      }
    },
    sendFile: (file) => upload(web, at, file),
  };
}

/** An effect addressed to Slack: posted to its channel (and thread), or to the user's DM. */
export async function postEffect(web: WebClient, effect: Effect, log: Logger): Promise<void> {
  const channel = effect.target.channelId ?? effect.target.userId;
  if (!channel) return;
  for (const m of renderMessages(effect.reply)) {
    await web.chat
      .postMessage({ channel, ...inThread(effect.target.threadId), text: m.text, blocks: m.blocks as never })
      .catch((error: unknown) => log.error({ err: error, reason: effect.reason }, '通知を送れませんでした'));
  }
}
