/**
 * User-facing Japanese of the guides (the case library, the Q&A list, the step guide), keyed by
 * what each text is for.
 */
export const G = {
  /** A case search that no case matches: the filters as the user gave them. */
  noCase: (filters: string) => `該当する事例はありません（${filters}）。`,
  caseSuggestions: '次のテーマなら事例があります。別の言葉や地域・機能でも探せます。',
} as const;
