/**
 * User-facing Japanese of the core: limits, errors, flows' manners, authorisation and the names of
 * the platforms. Each domain's texts are in its own module beside this one (src/messages/<domain>.ts);
 * texts quoted from the handbook come from knowledge/, not from here.
 */
import { COMMANDS } from '../commands.js';

export const M = {
  unknownCommand: (name: string) => `「${name}」というコマンドはありません。使えるコマンドは次のとおりです。`,
  /** For an adapter that cannot hand an unknown command to the core (a slash command the platform still has registered). */
  unknownSlashCommand: (name: string) => `「${name}」というコマンドはありません。使えるコマンドは ${COMMANDS.map((c) => `/${c}`).join('、')} です（/pf でメニューを表示します）。`,
  unfinishedFlow: (name: string) => `前回の「${name}」が途中のままです。もう一度始めると、続きから再開できます。`,
  emptyMessage: 'メッセージが空でした。質問を書くか、表示中の選択肢を番号か名前で選んでください（メニューは /pf）。',
  tooLong: (max: number, len: number) => `メッセージが長すぎます（${len} 文字）。${max} 文字以内でお送りください。`,
  rateLimited: (perMinute: number) => `短い時間にたくさんのメッセージを受け取りました（1分あたり ${perMinute} 件まで）。少し時間をおいてからお試しください。`,
  rateLimitedSteps: (perMinute: number) => `短い時間に操作が続きました（1分あたり ${perMinute} 回まで）。少し時間をおいてから続けてください。途中までの内容はそのままです。`,
  choiceUnavailable: (label: string) => `「${label}」はいまは選べません。`,
  previousPage: '← 前へ',
  nextPage: '次へ →',
  /** Typed words that choose the previous or next page of any paged list (besides the buttons' labels). */
  previousWords: ['前へ', '前', '前のページ', 'まえ'],
  nextWords: ['次へ', '次', '次のページ', 'つぎ', '続き'],
  nothingToCancel: '中断する手続きはありません。質問はそのまま書いてください。',
  nothingToGoBack: '戻れる手続きはありません。質問はそのまま書いてください。',
  maintenance: 'ただいまメンテナンスのため停止中です。しばらくしてからお試しください。',
  fileTooLarge: (kb: number, maxKb: number) => `ファイルが大きすぎます（${kb} KB）。${maxKb} KB までにしてください。`,
  internalError: '申し訳ありません。処理中に問題が起きました。入力した内容は失われていません。もう一度お試しいただくか、時間をおいてお試しください。',
  /** A button or select whose payload the bot cannot read (Slack sent a shape it does not know). */
  unreadableAction: 'この操作を読み取れませんでした。入力した内容は失われていません。もう一度ボタンを押すか、コマンドからやり直してください。',
  thinking: '資料を確認しています…',
  formOpenFailed: '入力画面を開けませんでした。このまま文章を送って回答してください。',
  fileSendFailed: 'ファイルを送れませんでした。ボットをこのチャンネルに追加するか、ボットとのダイレクトメッセージでお試しください。',
  fileReadFailedRetry: 'ファイルを読み込めませんでした。もう一度送ってください。',
  fileReadFailedTryAgain: 'ファイルを読み込めませんでした。もう一度お試しください。',
  notYourFlow: 'このボタンは、操作を始めた方だけが使えます。ご自身で始める場合はコマンドを入力してください。',
  staleAction: 'この操作は古くなっているか、すでに終わっています。もう一度コマンドから始めてください。',
  flowExpired: (name: string, minutes: number) => `前回の「${name}」は ${minutes} 分間操作がなかったため終了しました。必要ならもう一度始めてください。`,
  flowCancelled: (name: string) => `「${name}」を終了しました。入力途中の内容は保存していません。`,
  flowCancelledKeepDraft: (name: string) => `「${name}」を中断しました。途中までの回答は保存してあり、もう一度始めると続きから再開できます。`,
  flowBackAtStart: 'これ以上は戻れません（最初の質問です）。',
  flowHint: '「戻る」で一つ前の質問に、「やめる」で終了します。',
  flowReplaced: (oldName: string) => `進行中だった「${oldName}」は中断しました。`,
  /** How a platform is named in what users see (a registration's 情報源, the usage CSV). */
  platformLabels: { slack: 'Slack', discord: 'Discord', terminal: '端末' },
  forbidden: 'この操作を行う権限がありません。必要な場合は都道府県の担当者（管理者）にご相談ください。',
  forbiddenOtherMunicipality: '他の市町村の回答は、都道府県の担当者（管理者）だけが見られます。',
  flowExpiredKeepDraft: (expired: string) => `${expired}途中までの回答は保存してあります。`,
} as const;
