/**
 * Choices that recur on many screens keep one position everywhere (issue 22): a paged list's
 * 前へ／次へ and an answer's 👍／👎 come first in their row, at fixed numbers, whether or not the
 * other choices of the screen are there. In the terminal pressing 2 twice turns two pages forward;
 * on Slack and Discord the buttons do not move under the user's finger.
 */
import { M } from '../messages/core.js';
import type { ButtonControl } from './types.js';

/** The fixed numbers: navigation and feedback never share a screen. */
export const SLOT = { previous: 1, next: 2, helpful: 1, notHelpful: 2 } as const;


export interface PageNavLabels {
  previous: string;
  next: string;
}

/**
 * The 前へ／次へ pair of a paged list (page counted from 0), always both, at their fixed numbers:
 * the one that leads nowhere (前へ on the first page) is there but disabled. `value` gives the
 * button value for a page.
 */
export function pageNav(action: string, page: number, pages: number, labels: PageNavLabels = { previous: M.previousPage, next: M.nextPage }, value: (page: number) => string = String): ButtonControl[] {
  return [
    { kind: 'button', action, value: value(Math.max(0, page - 1)), label: labels.previous, slot: SLOT.previous, aliases: M.previousWords, ...(page <= 0 ? { disabled: true } : {}) },
    { kind: 'button', action, value: value(Math.min(pages - 1, page + 1)), label: labels.next, slot: SLOT.next, aliases: M.nextWords, ...(page >= pages - 1 ? { disabled: true } : {}) },
  ];
}

/** 「1/3」: where a paged list is, for the line under it. */
export const pageIndicator = (page: number, pages: number): string => `${page + 1}/${pages}`;
