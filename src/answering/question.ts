/**
 * Questions answered from the documents, with follow-ups in context, 👍/👎 feedback and the
 * hand-off to the prefecture's desk (and the desk's reply back to the user's thread).
 */
import { M } from '../messages/core.js';
import { handled, type Handled } from '../engine/context.js';
import type { Ctx } from './context.js';
import { authorize, deskTarget } from '../engine/auth.js';
import type { Effect, Reply, Target } from '../engine/types.js';
import { text } from '../engine/types.js';
import { conversationKey } from '../store/flows.js';
import { answerReply } from './answer-reply.js';
import { TERMINAL_DESK_CHANNEL } from '../config.js';
import type { AskResult } from '../answering/assistant.js';
import { ANSWERING } from '../messages/answering.js';

/** Conversation key for follow-ups: one per thread (or channel) and user. */
function followUpKey(ctx: Ctx): string {
  const a = ctx.actor;
  return conversationKey({ platform: a.platform, workspace: a.workspaceId, channel: a.threadId ? `${a.channelId}/${a.threadId}` : a.channelId, userId: a.userId });
}

/**
 * What a later follow-up searches with: a follow-up keeps the topic of its chain (the text that
 * was searched, not only 「それの具体例は？」); a question of its own starts a new topic.
 */
function topicOf(question: string, result: AskResult): string {
  return result.searchedFor === question ? question : result.searchedFor.split('\n').slice(-2).join(' ').slice(-200);
}

export async function answerQuestion(ctx: Ctx, question: string): Promise<Handled> {
  const { assistant, answers } = ctx.services;
  const key = followUpKey(ctx);
  const previous = answers.lastQuestion(key, ctx.now);
  const result = await assistant.ask(question, { ...(previous ? { previous: { question: previous } } : {}), intent: 'question' });
  const a = ctx.actor;
  const answerId = answers.log(
    { platform: a.platform, workspace: a.workspaceId, channel: a.channelId, ...(a.threadId ? { thread: a.threadId } : {}), userId: a.userId, question, intent: result.intent, outOfScope: result.outOfScope, probability: result.outOfScopeProbability, citations: result.citations, usedLlm: result.usedLlm },
    ctx.now,
  );
  answers.rememberQuestion(key, topicOf(question, result), answerId, ctx.now);
  // the hand-off is offered only where a desk is configured for this platform
  return handled([answerReply(result, answerId, deskTarget(ctx.services.config, ctx.actor) !== null)]);
}

export function vote(ctx: Ctx, value: string, direction: 1 | -1): Handled {
  const id = Number(value);
  if (!Number.isInteger(id) || !ctx.services.answers.vote(id, `${ctx.actor.platform}:${ctx.actor.userId}`, direction, ctx.now)) {
    return handled([text(ANSWERING.feedbackUnknown, { ephemeral: true })]);
  }
  if (direction === 1 || !deskTarget(ctx.services.config, ctx.actor)) return handled([text(direction === 1 ? ANSWERING.feedbackThanksUp : ANSWERING.feedbackThanksDownNoDesk, { ephemeral: true })]);
  return handled([
    {
      ephemeral: true,
      blocks: [
        { type: 'text', text: ANSWERING.feedbackThanksDown },
        { type: 'actions', controls: [{ kind: 'button', action: 'handoff:send', value: String(id), label: ANSWERING.handoffButton }] },
      ],
    },
  ]);
}

/** Sends a question (with its answer's context) to the prefecture's desk. */
export function sendToDesk(ctx: Ctx, value: string): Handled {
  const id = Number(value);
  const stored = Number.isInteger(id) ? ctx.services.answers.get(id) : null;
  if (!stored) return handled([text(ANSWERING.feedbackUnknown, { ephemeral: true })]);
  const a = ctx.actor;
  const context = stored.citations.length
    ? ANSWERING.handoffContextCited(stored.citations.slice(0, 3).map((c) => `${c.title}${c.page ? ` P.${c.page}` : ''}`).join(' ／ '))
    : ANSWERING.handoffContextNone;
  const handoff = ctx.services.handoffs.create(
    { answerId: id, platform: a.platform, workspace: a.workspaceId, channel: a.channelId, thread: a.threadId ?? null, userId: a.userId, question: stored.question, context },
    ctx.now,
  );
  const desk = deskTarget(ctx.services.config, ctx.actor);
  if (!desk) return handled([text(ANSWERING.handoffNoDesk, { ephemeral: true })]);
  const deskReply: Reply = {
    blocks: [
      { type: 'header', text: ANSWERING.handoffDeskHeader },
      { type: 'fields', fields: [{ label: ANSWERING.handoffQuestion, value: stored.question }, { label: ANSWERING.handoffSender, value: a.displayName ?? a.userId }, { label: ANSWERING.handoffNumber, value: `#${handoff.id}` }] },
      { type: 'context', text: context },
      { type: 'actions', controls: [{ kind: 'button', action: 'handoff:reply', value: String(handoff.id), label: ANSWERING.handoffAnswerButton, style: 'primary' }] },
    ],
  };
  const effect: Effect = { type: 'deliver', target: desk, reply: deskReply, reason: 'handoff' };
  // the terminal's desk is a file the admin reads: the answer does not come back through the bot
  const sent = desk.channelId === TERMINAL_DESK_CHANNEL ? ANSWERING.handoffSentToFile : ANSWERING.handoffSent;
  return handled([text(sent, { ephemeral: true })], [effect]);
}

/** A desk member opens the reply form. */
export function openDeskReply(ctx: Ctx, value: string): Handled {
  const decision = authorize(ctx.services, ctx.actor, 'handoff.reply');
  if (!decision.ok) return handled([text(decision.message, { ephemeral: true })]);
  const h = ctx.services.handoffs.get(Number(value));
  if (!h) return handled([text(M.staleAction, { ephemeral: true })]);
  if (h.status === 'answered') return handled([text(ANSWERING.handoffAlreadyAnswered, { ephemeral: true })]);
  return handled([
    {
      blocks: [{ type: 'text', text: ANSWERING.handoffReplyPrompt(h.id) }],
      ephemeral: true,
      form: { id: 'handoff-reply', title: ANSWERING.handoffReplyTitle(h.id), submitLabel: ANSWERING.handoffReplySubmit, state: String(h.id), fields: [{ id: 'reply', label: ANSWERING.handoffReplyField, kind: 'textarea', required: true, maxLength: 2000, placeholder: ANSWERING.handoffReplyPlaceholder }] },
    },
  ]);
}

/** The desk's reply is delivered back to the user's thread. */
export function submitDeskReply(ctx: Ctx, state: string | undefined, fields: Record<string, string>): Handled {
  const decision = authorize(ctx.services, ctx.actor, 'handoff.reply');
  if (!decision.ok) return handled([text(decision.message, { ephemeral: true })]);
  const reply = (fields.reply ?? '').trim();
  const h = ctx.services.handoffs.get(Number(state));
  if (!h || !reply) return handled([text(ANSWERING.handoffReplyMissing, { ephemeral: true })]);
  if (!ctx.services.handoffs.answer(h.id, reply, `${ctx.actor.platform}:${ctx.actor.userId}`, ctx.now)) return handled([text(ANSWERING.handoffAlreadyAnswered, { ephemeral: true })]);
  const toUser: Reply = {
    blocks: [
      { type: 'header', text: ANSWERING.handoffReplyHeader },
      { type: 'fields', fields: [{ label: ANSWERING.handoffYourQuestion, value: h.question }] },
      { type: 'text', text: reply },
      { type: 'context', text: ANSWERING.handoffReplyFooter(h.id) },
    ],
  };
  const target: Target = { platform: h.platform, channelId: h.channel, userId: h.userId, workspaceId: h.workspace, ...(h.thread ? { threadId: h.thread } : {}) };
  return handled([text(ANSWERING.handoffReplySent, { ephemeral: true })], [{ type: 'deliver', target, reply: toUser, reason: 'handoff_reply' }]);
}
