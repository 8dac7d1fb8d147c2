/**
 * The listeners of a dialog's modal (dialog.ts): a button or select inside it, its submission, and
 * its closing. Each is parse → core → render like the others (listeners.ts).
 *
 * Slack waits 3 s for the acknowledgement of a submission, and the next step has to go in it
 * (response_action "update"): the core usually answers in milliseconds; when it has not answered
 * within ACK_WITHIN_MS the modal is acknowledged with a "working" view and updated when the answer
 * is ready (https://api.slack.com/surfaces/modals#updating_response).
 */
import type { SlackViewMiddlewareArgs } from '@slack/bolt';
import { D, deliverResult, type Actor, type EngineResult, type Reply } from '../../src/core.js';
import { DIALOG_CALLBACK, dialogOrigin, renderDialog, submissionErrors, submittedValues, workingView, type DialogOrigin } from './dialog.js';
import { actionEvent, DialogViewPayload, type BlockActionPayload } from './inbound.js';
import type { ListenerDeps } from './listeners.js';
import { dialogSink } from './outbound.js';

/** How long a submission waits for the core before it is acknowledged with a "working" view. */
const ACK_WITHIN_MS = 2000;

const actorOf = (user: { id: string; name?: string | undefined }, team: string | undefined, origin: DialogOrigin): Actor => ({
  platform: 'slack',
  userId: user.id,
  ...(user.name ? { displayName: user.name } : {}),
  workspaceId: team ?? origin.team ?? '',
  // the flow's state is keyed by the channel it was started in, which the modal remembers
  channelId: origin.channel,
  ...(origin.thread ? { threadId: origin.thread } : {}),
  isDirect: origin.channel.startsWith('D'),
});

function send(deps: ListenerDeps, result: EngineResult, origin: DialogOrigin, user: string, present: (replies: Reply[]) => Promise<void>): Promise<void> {
  const at = { channel: origin.channel, user, ...(origin.thread ? { thread: origin.thread } : {}) };
  return deliverResult(result, dialogSink(deps.client, at, present, { log: deps.log }), (effect) => deps.core.relay(effect), deps.log);
}

/** Whether a block action comes from a dialog's modal (then handleDialogAction answers it). */
export function fromDialog(p: BlockActionPayload): boolean {
  return p.view?.callback_id === DIALOG_CALLBACK && dialogOrigin(p.view.private_metadata) !== null;
}

/** A button or select inside a dialog (yes/no, 戻る, 中断する, the review's 変更): the modal is updated with what follows. */
export async function handleDialogAction(deps: ListenerDeps, p: BlockActionPayload): Promise<void> {
  const view = p.view!;
  const origin = dialogOrigin(view.private_metadata)!;
  const { action, value, values } = actionEvent(p);
  const result = await deps.core.handle({
    kind: 'action',
    actor: actorOf(p.user, p.team?.id ?? p.user.team_id, origin),
    action,
    value,
    ...(values ? { values } : {}),
    ...(p.trigger_id ? { eventId: `act:${p.trigger_id}` } : {}),
  });
  if (result.duplicate) return;
  const title = view.title?.text ?? D.fallbackTitle;
  await send(deps, result, origin, p.user.id, async (replies) => {
    await deps.client.views.update({ view_id: view.id, view: renderDialog(replies, origin, title) as never });
  });
}

/**
 * A dialog's modal submitted (「次へ」, 「送信する」): the step's fields as a form event; the next
 * step, or the refusal under its field, goes back in the acknowledgement. Or the modal closed
 * before the end: the flow keeps its draft (the close action), and nothing is shown.
 */
export async function handleDialogView(deps: ListenerDeps, { ack, body }: Pick<SlackViewMiddlewareArgs, 'ack' | 'body'>): Promise<void> {
  const parsed = DialogViewPayload.safeParse(body);
  const origin = parsed.success ? dialogOrigin(parsed.data.view.private_metadata) : null;
  if (!parsed.success || !origin) {
    await ack();
    return;
  }
  const p = parsed.data;
  const actor = actorOf(p.user, p.team?.id, origin);
  if (p.type === 'view_closed') {
    await ack();
    if (origin.closeAction) await deps.core.handle({ kind: 'action', actor, action: origin.closeAction, value: '' });
    return;
  }
  if (!origin.formId) {
    await ack();
    return;
  }
  const { fields, choices } = submittedValues(p.view.state?.values ?? {}, origin.formId);
  const pending = deps.core.handle({ kind: 'form', actor, formId: origin.formId, fields, choices, eventId: `view:${p.view.id}:${p.view.hash ?? ''}` });
  const title = p.view.title?.text ?? D.fallbackTitle;
  let acked = false;
  const quick = await Promise.race([pending, new Promise<null>((r) => setTimeout(() => r(null), ACK_WITHIN_MS))]);
  if (!quick) {
    acked = true;
    await ack({ response_action: 'update', view: workingView(title) as never });
  }
  const result = quick ?? (await pending);
  if (result.duplicate) {
    if (!acked) await ack();
    return;
  }
  await send(deps, result, origin, p.user.id, async (replies) => {
    if (acked) {
      await deps.client.views.update({ view_id: p.view.id, view: renderDialog(replies, origin, title) as never });
      return;
    }
    acked = true;
    const errors = submissionErrors(replies, origin.formId!);
    await ack(errors ? { response_action: 'errors', errors } : { response_action: 'update', view: renderDialog(replies, origin, title) as never });
  });
}
