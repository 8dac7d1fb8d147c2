/**
 * User-facing Japanese of multi-step dialogs (issue 18: a flow walked in a Slack modal) and of the
 * working status shown while an answer is prepared. A flow's own texts (the checklist's fields and
 * refusals) are in its domain's file.
 */
export const D = {
  /** A dialog's title when the payload did not carry one. */
  fallbackTitle: 'お知らせ',
  /** The submit button of a question, and of a final confirmation. */
  next: '次へ',
  send: '送信する',
  /** The close button: closing keeps what was answered so far. */
  close: '閉じる',
  /** Shown in a dialog while a slow step is being handled (Slack needs an answer to a submission within 3 s). */
  working: '処理しています…',
  /** Slack's status under the thread while an answer is prepared (Slack shows the app's name before it). */
  typingStatus: 'が資料を確認しています…',
} as const;
