/**
 * The platform-neutral contract between the engine and the adapters. An adapter turns a platform
 * event into an InboundEvent, calls the engine, and renders the Replies and Effects it gets back.
 * The engine knows nothing of any platform: a platform is only the id its adapter registers under.
 */
import type { Citation } from '../knowledge/citation.js';

/** The id an adapter registers under (its name): actors, targets and delivery ids carry it. */
export type Platform = string;

/** Who acts, and where. */
export interface Actor {
  platform: Platform;
  userId: string;
  displayName?: string;
  /** Slack team, Discord guild, or "local". */
  workspaceId: string;
  channelId: string;
  /** Thread the conversation lives in (Slack thread ts), if any. */
  threadId?: string;
  /** A direct message with the bot. */
  isDirect: boolean;
}

interface EventBase {
  actor: Actor;
  /** Platform delivery id, for de-duplication of retried deliveries. */
  eventId?: string;
}

export type InboundEvent =
  | (EventBase & { kind: 'message'; text: string })
  | (EventBase & { kind: 'command'; command: string; args: string })
  | (EventBase & { kind: 'action'; action: string; value: string; values?: string[] })
  | (EventBase & { kind: 'form'; formId: string; state?: string; fields: Record<string, string> })
  | (EventBase & { kind: 'file'; purpose: string; fileName: string; data: Buffer; args?: string });

export interface ButtonControl {
  kind: 'button';
  action: string;
  label: string;
  value?: string;
  style?: 'primary' | 'danger';
  /**
   * A fixed position for a choice that recurs on many screens (前へ／次へ, 👍／👎; see
   * src/engine/choices.ts): the terminal gives it this number on every screen, so the same
   * number always means the same thing.
   */
  slot?: number;
  /** Shown but not available here (前へ on the first page): greyed out where a platform can, left out where it cannot. */
  disabled?: boolean;
  /** Other words that choose it when typed (「次へ」 for 「Q7 →」), besides its label. */
  aliases?: readonly string[];
}

export interface SelectOption {
  label: string;
  value: string;
  description?: string;
}

export interface SelectControl {
  kind: 'select';
  action: string;
  placeholder: string;
  options: SelectOption[];
  multi?: boolean;
  minValues?: number;
  maxValues?: number;
  initial?: string[];
}

export type Control = ButtonControl | SelectControl;

export type Block =
  | { type: 'header'; text: string }
  | { type: 'text'; text: string }
  | { type: 'fields'; fields: { label: string; value: string }[] }
  | { type: 'list'; title?: string; items: string[] }
  | { type: 'quote'; text: string }
  | { type: 'citations'; citations: Citation[] }
  | { type: 'context'; text: string }
  | { type: 'divider' }
  | { type: 'actions'; controls: Control[] };

export interface FormField {
  id: string;
  label: string;
  kind: 'text' | 'textarea';
  required?: boolean;
  maxLength?: number;
  placeholder?: string;
  initial?: string;
}

/** A small form (a Slack or Discord modal). Text fields only, at most five. */
export interface Form {
  id: string;
  title: string;
  submitLabel: string;
  fields: FormField[];
  /** Opaque state returned with the submission (kept short). */
  state?: string;
}

/** One bar of a text chart: what a terminal prints instead of showing an image. */
export interface TextBar {
  label: string;
  value: number;
  /** Shown after the value (「うち空白 3」). */
  note?: string;
}

/** A file sent with a reply. An image (mime image/*) always carries its alt text. */
export interface ReplyFile {
  name: string;
  mime: string;
  data: Buffer;
  comment?: string;
  /** Alt text of an image, for screen readers (Slack alt text, Discord attachment description). */
  alt?: string;
  /** The chart as bars, for platforms that print text instead of images (the terminal). */
  bars?: { title: string; rows: TextBar[] };
}

export interface Reply {
  blocks: Block[];
  /** Only the acting user sees it (Slack ephemeral, Discord ephemeral). */
  ephemeral?: boolean;
  /** Open this form (modal) in response; blocks are shown where a form cannot be opened. */
  form?: Form;
  /** A file to send (CSV exports, chart images). */
  file?: ReplyFile;
  /** Replace the message the action came from, instead of posting a new one. */
  replaceOriginal?: boolean;
}

/** Where an effect is delivered: a channel (and thread) or a user, on a platform. */
export interface Target {
  platform: Platform;
  channelId?: string;
  threadId?: string;
  userId?: string;
  workspaceId?: string;
}

/** Something the engine wants delivered beyond the reply: hand-offs, notices to admins or users. */
export type Effect = { type: 'deliver'; target: Target; reply: Reply; reason: 'handoff' | 'handoff_reply' | 'admin_notice' | 'user_notice' };

export interface EngineResult {
  replies: Reply[];
  effects: Effect[];
  /** True when the event was a duplicate delivery and nothing was done. */
  duplicate?: boolean;
  /** True when handling failed (its writes rolled back): an adapter that claimed the delivery gives the claim back. */
  failed?: boolean;
}

export const reply = (blocks: Block[], extra: Omit<Reply, 'blocks'> = {}): Reply => ({ blocks, ...extra });
export const text = (t: string, extra: Omit<Reply, 'blocks'> = {}): Reply => ({ blocks: [{ type: 'text', text: t }], ...extra });
