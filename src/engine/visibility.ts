/**
 * Who sees a reply, and whether it edits the message it came from (issue 18). Flows and admin views
 * are private by default (Slack ephemeral or DM, Discord ephemeral); navigation edits in place. The
 * routing table (src/bot.ts) says which routes are private or in place; flows say it once in their
 * definition (`FlowDefinition.private`). Adapters decide how: a reply can replace its original only
 * where the platform allows it (same visibility).
 */
import type { Handled } from './context.js';
import type { Reply } from './types.js';

/** Every reply only for the acting user. */
export function privately(h: Handled): Handled {
  return { ...h, replies: h.replies.map((r) => ({ ...r, ephemeral: true })) };
}

/**
 * The first reply (that is not a form) replaces the message whose button was pressed. Short
 * notes the engine adds on its own (a stale click, a rate limit) are ephemeral one-liners and are
 * left as new messages.
 */
export function inPlace(h: Handled): Handled {
  const i = h.replies.findIndex((r) => !r.form);
  if (i < 0) return h;
  return { ...h, replies: h.replies.map((r, n): Reply => (n === i ? { ...r, replaceOriginal: true } : r)) };
}

/** Wraps a route handler so that its result is private. */
export function privateRoute<A extends unknown[]>(run: (...args: A) => Promise<Handled> | Handled): (...args: A) => Promise<Handled> {
  return async (...args: A) => privately(await run(...args));
}

/** Wraps a route handler so that its result edits the message it came from. */
export function inPlaceRoute<A extends unknown[]>(run: (...args: A) => Promise<Handled> | Handled): (...args: A) => Promise<Handled> {
  return async (...args: A) => inPlace(await run(...args));
}
