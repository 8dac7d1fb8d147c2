/**
 * User-facing Japanese of multi-step dialogs (issue 18: the checklist walked in a Slack modal) and
 * of the working status shown while an answer is prepared. Kept apart from core.ts so each domain's
 * texts stay in their own file.
 */
export const D = {
  /** The dialog's title (Slack allows 24 characters). */
  checklistTitle: '市町村チェックリスト',
  previewTitle: 'チェックリストの試用',
  /** A dialog's title when the payload did not carry one. */
  fallbackTitle: 'お知らせ',
  /** The submit button of a question, and of the review. */
  next: '次へ',
  send: '送信する',
  /** The close button: closing keeps the answers given so far. */
  close: '閉じる',
  /** Shown in a dialog while a slow step is being handled (Slack needs an answer to a submission within 3 s). */
  working: '処理しています…',
  /** Label of the municipality choice. */
  municipalityField: '回答する市町村',
  municipalityNameField: '市町村名',
  readingField: '読み（ひらがな）',
  /** Labels of a choice field. */
  chooseOne: 'ひとつ選ぶ',
  chooseAll: '当てはまるものをすべて選ぶ',
  /** Label of the free text that goes with an option such as その他. */
  otherField: (option: string) => `「${option}」を選んだ場合の内容`,
  otherMissing: (option: string) => `「${option}」の内容を入力してください。`,
  otherWithoutChoice: (option: string) => `「${option}」を選んだときだけ記入してください（選ばない場合は空欄にしてください）。`,
  otherTooLong: (length: number, max: number) => `長すぎます（${length} 文字）。${max} 文字以内にしてください。`,
  numberPlaceholder: '例: 12',
  /** Under the fields: how the dialog keeps a draft. */
  closeKeepsDraft: '「閉じる」で閉じても、ここまでの回答は保存されます。/pf-checklist でいつでも続きから再開できます。',
  /** Slack's status under the thread while an answer is prepared (Slack shows the app's name before it). */
  typingStatus: 'が資料を確認しています…',
} as const;
