/** Renders an answer (AnswerDoc) as neutral blocks, with feedback and next-step buttons. */
import type { AskResult } from '../answering/assistant.js';
import { distinctCitations, GENERATED_LABEL, type AnswerDoc } from '../answering/compose.js';
import type { Block, Control, Reply } from '../engine/types.js';
import { SLOT } from '../engine/choices.js';
import { ANSWERING } from '../messages/answering.js';

export function answerBlocks(doc: AnswerDoc): Block[] {
  const blocks: Block[] = [{ type: 'header', text: doc.heading }];
  if (doc.note) blocks.push({ type: 'text', text: doc.note });
  if (doc.generated?.length) blocks.push({ type: 'context', text: GENERATED_LABEL }, ...doc.generated.map((text): Block => ({ type: 'text', text })));
  for (const l of doc.lead) blocks.push({ type: 'quote', text: l });
  for (const s of doc.sections) blocks.push({ type: 'list', title: s.title, items: s.lines });
  // one entry per place shown (the answer keeps every cited passage for the ask contract)
  if (doc.citations.length) blocks.push({ type: 'citations', citations: distinctCitations(doc.citations) });
  return blocks;
}

/** The reply for a question, with 👍/👎 (and hand-off when the documents do not answer). */
export function answerReply(result: AskResult, answerId: number, canHandOff: boolean): Reply {
  const blocks = answerBlocks(result.answer);
  // 👍／👎 first, at their fixed numbers: the same number means the same on every answer
  const controls: Control[] = [
    { kind: 'button', action: 'fb:up', value: String(answerId), label: ANSWERING.voteUp, slot: SLOT.helpful, aliases: ANSWERING.voteUpWords },
    { kind: 'button', action: 'fb:down', value: String(answerId), label: ANSWERING.voteDown, slot: SLOT.notHelpful, aliases: ANSWERING.voteDownWords },
  ];
  controls.push(
    ...result.answer.suggestions
      .filter((s) => s.command.startsWith('/'))
      .slice(0, 3)
      .map((s): Control => ({ kind: 'button', action: 'cmd', value: s.command.slice(1), label: s.label })),
  );
  if (result.outOfScope && canHandOff) controls.push({ kind: 'button', action: 'handoff:send', value: String(answerId), label: ANSWERING.handoffButton });
  blocks.push({ type: 'actions', controls });
  return { blocks };
}
