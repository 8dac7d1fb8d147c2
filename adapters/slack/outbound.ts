/**
 * Replies on Slack: where the replies to one event go (a response_url, or the channel or thread,
 * replacing the "working" placeholder), modals for forms, file uploads, and effects the core
 * addresses to Slack (hand-offs to the desk channel, notices to a user).
 */
import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { dialogParts, V, type Effect, type Form, type Logger, type Reply, type ReplySink } from '../../src/core.js';
import { renderDialog } from './dialog.js';
import { postOrDm } from './fallback.js';
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

/** A private reply's file goes to the user's DM: a file shared in a channel is public. */
async function uploadPrivately(web: WebClient, at: Where, file: NonNullable<Reply['file']>): Promise<void> {
  const dm = await web.conversations.open({ users: at.user });
  const channel = dm.channel?.id;
  if (!channel) throw new Error('DM を開けませんでした');
  await upload(web, { channel, user: at.user }, file);
}

/**
 * A private reply in a channel whose file goes to the DM (a file shared in a channel is public: the
 * gap view's heatmap, a CSV): the reply says so.
 */
function withDmNote(reply: Reply, privateInChannel: boolean): Reply {
  return privateInChannel && reply.file ? { ...reply, blocks: [...reply.blocks, { type: 'context', text: V.fileByDm }] } : reply;
}

/** A response_url, as Bolt's respond or a plain POST (a modal's submission). */
export type Respond = (body: Record<string, unknown>) => Promise<unknown>;

/** How replies to one interaction are shaped: the logger, whether the message acted on was ephemeral, its response_url. */
export interface SinkOptions {
  log: Logger;
  /** Whether the message whose button was pressed is ephemeral (Slack's container.is_ephemeral). */
  originEphemeral?: boolean;
  /** The response_url of the action, kept in a modal it opens so its submission can edit the message. */
  responseUrl?: string;
  /** The workspace, kept in a dialog it opens. */
  team?: string;
}

/**
 * Replies to a slash command, a button or a form submission: through its response_url when there
 * is one (replacing the original message when the reply says so and the visibility is the same:
 * Slack cannot turn a public message ephemeral), else posted, ephemeral where only the user should
 * see it, by DM when the channel refuses the bot; forms open as modals when Slack gave a trigger id.
 */
export function responseSink(web: WebClient, at: Where, respond: Respond | RespondFn | undefined, triggerId: string | undefined, options: SinkOptions): ReplySink {
  const direct = at.channel.startsWith('D');
  let lastPrivate = false;
  return {
    async post(reply) {
      const ephemeral = Boolean(reply.ephemeral);
      lastPrivate = ephemeral && !direct;
      for (const [n, message] of renderMessages(withDmNote(reply, lastPrivate)).entries()) {
        const replace = n === 0 && Boolean(reply.replaceOriginal) && (options.originEphemeral === undefined || options.originEphemeral === (ephemeral && !direct));
        if (respond) {
          try {
            await (respond as Respond)({ response_type: ephemeral ? 'ephemeral' : 'in_channel', replace_original: replace, text: message.text, blocks: message.blocks });
            continue;
          } catch (error) {
            // an expired or used-up response_url: post instead
            options.log.warn({ err: error }, 'response_url に返信できませんでした');
          }
        }
        await postOrDm(web, { ...at, ephemeral }, message, options.log);
      }
    },
    async openForm(form: Form) {
      if (!triggerId) return false;
      const origin = { channel: at.channel, ...(at.thread ? { thread: at.thread } : {}), ...(options.responseUrl ? { responseUrl: options.responseUrl } : {}), ...(options.originEphemeral !== undefined ? { ephemeral: options.originEphemeral } : {}) };
      await web.views.open({ trigger_id: triggerId, view: renderModal(form, origin) as never });
      return true;
    },
    async showDialog(replies) {
      // a flow that starts or resumes opens its dialog while the trigger is fresh; its later steps
      // continue where they are (in that modal, or in messages when it could not be opened)
      const step = dialogParts(replies).step;
      if (!step?.dialog?.open || !triggerId) return false;
      const origin = { channel: at.channel, ...(at.thread ? { thread: at.thread } : {}), ...(options.team ? { team: options.team } : {}) };
      await web.views.open({ trigger_id: triggerId, view: renderDialog(replies, origin, step.dialog.title) as never });
      return true;
    },
    sendFile: (file) => (lastPrivate ? uploadPrivately(web, at, file) : upload(web, at, file)),
  };
}

/**
 * Replies to an event that came from a dialog (a button in its modal, or its submission): shown in
 * that modal by `present` (views.update, or the submission's acknowledgement). Only when the modal
 * cannot be updated any more (the user closed it meanwhile) are they posted, privately.
 */
export function dialogSink(web: WebClient, at: Where, present: (replies: Reply[]) => Promise<void>, options: SinkOptions): ReplySink {
  const posted = responseSink(web, at, undefined, undefined, options);
  return {
    ...posted,
    post: (reply, first) => posted.post({ ...reply, ephemeral: true }, first),
    async showDialog(replies) {
      await present(replies);
      return true;
    },
  };
}

/**
 * Replies to a mention or a direct message, in its thread (or the DM): the first message replaces
 * the placeholder when one was shown (only for answers that took a while); ephemeral replies stay
 * ephemeral outside DMs; a channel that refuses the bot gets the reply by DM.
 */
export function threadSink(web: WebClient, at: Where & { direct: boolean }, placeholderTs: string | undefined, log: Logger): ReplySink {
  let lastPrivate = false;
  return {
    async post(reply, first) {
      const ephemeral = Boolean(reply.ephemeral) && !at.direct;
      lastPrivate = ephemeral;
      for (const [n, message] of renderMessages(withDmNote(reply, ephemeral)).entries()) {
        if (!ephemeral && first && n === 0 && placeholderTs) {
          await web.chat.update({ channel: at.channel, ts: placeholderTs, text: message.text, blocks: message.blocks as never });
        } else {
          await postOrDm(web, { ...at, ephemeral }, message, log);
        }
      }
    },
    sendFile: (file) => (lastPrivate ? uploadPrivately(web, at, file) : upload(web, at, file)),
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
