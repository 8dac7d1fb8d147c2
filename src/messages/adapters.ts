/**
 * User-facing Japanese the adapters print themselves: the terminal's prompts and notes, and the
 * renderers' labels (sources, continuations). Adapters reach it through src/core.ts. Discord's command
 * and option descriptions stay with their definitions in adapters/discord/commands.ts, as Slack's do
 * in slack/manifest.yaml: they are registered with the platform, not sent.
 */
export const ADAPTERS = {
  continuedPart: (n: number) => `（続き ${n}）`,
  continuedField: (name: string) => `${name}（続き）`,
  sources: '出典',
  emptyReply: '（空の応答）',
  noticeFallback: '都道府県PF アシスタントからのお知らせ',
  continuedText: (text: string, n: number, of: number) => `${text}（続き ${n}/${of}）`,
  continuedOf: (n: number, of: number) => `（続き ${n}/${of}）`,
  cancel: 'キャンセル',
  prompt: 'あなた> ',
  terminalUser: 'ターミナル',
  pickByNumber: '  （番号か、選択肢の名前で選べます）',
  fileSaved: (isImage: boolean, path: string) => `  → ${isImage ? 'グラフ画像' : 'ファイル'}を保存しました: ${path}`,
  formStart: (title: string) => `［${title}］（入力をやめるときは「やめる」）`,
  formField: (label: string, maxLength: number | undefined) => `${label}${maxLength ? `（${maxLength}文字まで）` : ''}:`,
  notice: (text: string) => `（お知らせ）\n${text}`,
  terminalHelp: '  質問をそのまま入力するか、/pf-faq のようにコマンドを入力してください。終了は Ctrl+D（または「終了」「/exit」）です。',
  formAbandoned: '入力をやめました。',
  fileUnreadable: (path: string) => `ファイル「${path}」を読めませんでした。パスを確かめてください。`,
  pickRange: (first: number, last: number) => `番号は ${first}〜${last} から選んでください。`,
  pickList: (numbers: string) => `番号は ${numbers} から選んでください。`,
  pickOnly: (n: number, label: string) => `選べるのは [${n}]「${label}」だけです。${n} を入力するか、質問をそのまま書いてください。`,
  pickUnavailable: (n: number, label: string) => `[${n}]「${label}」はいまは選べません。`,
  pickSameList: '複数選べるのは同じ一覧の中だけです。',
  bye: '終了します。',
  nextSteps: '▼ 次にできること（出典ではありません）',
  choicePrompt: (placeholder: string, multi: boolean | undefined) => `  ${placeholder}${multi ? '（複数選ぶときは番号をカンマ区切りで）' : ''}:`,
} as const;
