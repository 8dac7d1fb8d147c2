/**
 * The one delivery of an engine result, shared by every adapter: the replies in order (a form opens
 * where the platform can open one, else its blocks are posted; a file follows its reply), then the
 * effects through the relay to their platforms. The adapter only says how one reply is posted on
 * its platform (a ReplySink); failures to open a form or to send a file are logged and told to the
 * user in the same words everywhere.
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
  /** Called after the replies, before the effects (the terminal prints its hint there). */
  flush?(): void;
}

export async function deliverResult(result: EngineResult, sink: ReplySink, relay: (effect: Effect) => Promise<void>, logger: Logger): Promise<void> {
  let first = true;
  for (const reply of result.replies) {
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
