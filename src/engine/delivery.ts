/**
 * The one delivery of an engine result, shared by every adapter: the replies in order (a form opens
 * where the platform can open one, else its blocks are posted; a file follows its reply), then the
 * effects through the relay to their platforms. The adapter only says how one reply is posted on
 * its platform (a ReplySink); failures to open a form or to send a file are logged and told to the
 * user in the same words everywhere. Where the platform has multi-step dialogs (Slack modals), a
 * flow's steps are shown in the dialog instead, and posted as messages when it cannot be shown.
 */
import type { Logger } from '../logger.js';
import { M } from '../messages/core.js';
import type { Effect, EngineResult, Form, Reply } from './types.js';
import { text } from './types.js';

/** How an adapter puts replies on its platform, for one inbound event. */
export interface ReplySink {
  /**
   * Posts one reply, rendered natively (possibly as several messages). `first` is true for the
   * first reply of the event: where the adapter showed a placeholder, that reply replaces it.
   */
  post(reply: Reply, first: boolean): Promise<void>;
  /**
   * Opens a form (a modal). Resolves false when no form can be opened here (the reply's blocks are
   * posted instead); rejects when opening failed.
   */
  openForm?(form: Form, reply: Reply): Promise<boolean>;
  /** Sends a reply's file after the reply; absent when `post` attaches it. Rejects when sending failed. */
  sendFile?(file: NonNullable<Reply['file']>): Promise<void>;
  /**
   * Shows the event's replies in a dialog (see Dialog): in the one the event came from, or a new one
   * when a step opens it. Resolves false when they do not belong in a dialog here (they are posted
   * as messages); rejects when showing failed (they are posted too).
   */
  showDialog?(replies: Reply[]): Promise<boolean>;
  /** Called after the replies, before the effects (the terminal prints its hint there). */
  flush?(): void;
}

/** A result's replies as one dialog view: the step (the last reply marked as one) and the notes shown above it. */
export function dialogParts(replies: Reply[]): { step?: Reply; notes: Reply[] } {
  const at = replies.map((r) => Boolean(r.dialog)).lastIndexOf(true);
  return at < 0 ? { notes: replies } : { step: replies[at]!, notes: replies.filter((_, i) => i !== at) };
}

export async function deliverResult(result: EngineResult, sink: ReplySink, relay: (effect: Effect) => Promise<void>, logger: Logger): Promise<void> {
  let inDialog = false;
  if (sink.showDialog && result.replies.length) {
    try {
      inDialog = await sink.showDialog(result.replies);
    } catch (error) {
      // a trigger that expired (Slack allows 3 s) or a closed dialog: the flow goes on in messages
      logger.warn({ err: error }, '入力画面を表示できなかったため、メッセージで続けます');
    }
  }
  let first = true;
  for (const reply of inDialog ? [] : result.replies) {
    if (reply.form && sink.openForm) {
      let opened: boolean;
      try {
        opened = await sink.openForm(reply.form, reply);
      } catch (error) {
        logger.warn({ err: error }, 'モーダルを開けませんでした');
        await sink.post(text(M.formOpenFailed, { ephemeral: true }), first);
        continue;
      }
      if (opened) continue;
    }
    await sink.post(reply, first);
    first = false;
    if (reply.file && sink.sendFile) {
      try {
        await sink.sendFile(reply.file);
      } catch (error) {
        logger.warn({ err: error }, 'ファイルを送れませんでした');
        await sink.post(text(M.fileSendFailed, { ephemeral: true }), false);
      }
    }
  }
  sink.flush?.();
  for (const effect of result.effects) await relay(effect);
}
