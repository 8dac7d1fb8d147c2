/**
 * What each user last saw: the choices (buttons, select options) of the last replies in a
 * conversation, so that typing a choice's own label does what pressing it does (issue 22):
 * 「中断する」 in the checklist, 「次へ」 on a list, 「役に立った」 or 「👍」 under an answer. The
 * engine looks here before it treats a message as a flow's input or a question, on every
 * platform: a Slack or Discord user who types 「次へ」 turns the page as a terminal user does.
 *
 * Kept in memory (one process serves one prefecture): it is the screen in front of the user, not
 * data. After a restart the active flow's own screen stands in for it (FlowRuntime.screen).
 */
import type { Control, Reply } from './types.js';

/** A choice as it can be typed: the action it sends, and the words that choose it. */
export interface TypedChoice {
  label: string;
  action: string;
  value: string;
  /** A select option: its value as the selection. */
  values?: string[];
  disabled?: boolean;
  /** The label and aliases as typed text is compared (see labelKey). */
  keys: string[];
  /** The label's pictographs alone (「👍」 for 「👍 役に立った」). */
  pictographs: string;
}

const PICTOGRAPH = /\p{Extended_Pictographic}/gu;

/**
 * A label or a typed text as they are compared: NFKC, lower case, no spaces, no variation
 * selectors, and no symbols or punctuation at either end (「← 前へ」「次へ →」「👍 役に立った」
 * become 前へ, 次へ, 役に立った; a typed 「次へ。」 too).
 */
export function labelKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\uFE0E\uFE0F\s]+/g, '')
    .replace(/^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu, '');
}

const pictographsOf = (text: string): string => (text.normalize('NFKC').match(PICTOGRAPH) ?? []).join('');

/** The typable choices of some replies, in the order they are shown. */
export function choicesOf(replies: Reply[]): TypedChoice[] {
  const out: TypedChoice[] = [];
  const controls: Control[] = replies.flatMap((r) => r.blocks.flatMap((b) => (b.type === 'actions' ? b.controls : [])));
  for (const c of controls) {
    if (c.kind === 'button') {
      out.push({ label: c.label, action: c.action, value: c.value ?? '', ...(c.disabled ? { disabled: true } : {}), keys: [c.label, ...(c.aliases ?? [])].map(labelKey).filter(Boolean), pictographs: pictographsOf(c.label) });
      continue;
    }
    for (const o of c.options) out.push({ label: o.label, action: c.action, value: o.value, values: [o.value], keys: [labelKey(o.label)].filter(Boolean), pictographs: '' });
  }
  return out;
}

/** The choice a typed text names, if any: by its label or an alias, or by its pictograph alone (「👍」). */
export function findChoice(choices: TypedChoice[], typed: string): TypedChoice | null {
  const key = labelKey(typed);
  if (key) return choices.find((c) => c.keys.includes(key) && !c.disabled) ?? choices.find((c) => c.keys.includes(key)) ?? null;
  const pictographs = pictographsOf(typed);
  return pictographs ? (choices.find((c) => c.pictographs === pictographs) ?? null) : null;
}

/** The flow a choice belongs to (its action id is `flow:<id>:…`), or null. */
const flowOf = (action: string): string | null => /^flow:([a-z-]+):/.exec(action)?.[1] ?? null;

interface Screen {
  choices: TypedChoice[];
  /** The flow whose step is on the screen, or null when the screen is something else (an answer, an admin view). */
  flowId: string | null;
  expiresAt: number;
}

/** The last screen of each conversation, bounded in number and age. */
export class Screens {
  private readonly byConversation = new Map<string, Screen>();

  constructor(
    private readonly ttlMs: number,
    private readonly max = 10_000,
  ) {}

  /** Records the choices an event's replies showed. */
  remember(conversation: string, replies: Reply[], now: number): void {
    const choices = choicesOf(replies);
    // a reply without choices (a note, a thank-you, a step asking for a number) leaves the last
    // choices where they are: on the screen, above it
    if (!choices.length) return;
    this.byConversation.delete(conversation);
    const flowId = choices.map((c) => flowOf(c.action)).find((id) => id !== null) ?? null;
    this.byConversation.set(conversation, { choices, flowId, expiresAt: now + this.ttlMs });
    // the oldest first: Map keeps insertion order, and a conversation is re-inserted on each event
    if (this.byConversation.size > this.max) this.byConversation.delete(this.byConversation.keys().next().value!);
  }

  private get(conversation: string, now: number): Screen | null {
    const screen = this.byConversation.get(conversation);
    return screen && now <= screen.expiresAt ? screen : null;
  }

  /** The choices on the conversation's screen, or null when none is known (or it is too old). */
  current(conversation: string, now: number): TypedChoice[] | null {
    const screen = this.get(conversation, now);
    return screen?.choices.length ? screen.choices : null;
  }

  /** The flow on the screen: its id, null when the screen shows something else, undefined when unknown. */
  visibleFlow(conversation: string, now: number): string | null | undefined {
    return this.get(conversation, now)?.flowId;
  }
}
