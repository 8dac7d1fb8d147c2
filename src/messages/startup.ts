/**
 * Japanese for the operator at start-up and in /health: the progress display (the terminal, or the
 * log of a platform bot), and, when the bot cannot work, one clear line naming the variable to check
 * (issue 17: failures must not look healthy).
 */
export const S = {
  // progress
  starting: '起動しています（資料と検索索引を読み込んでいます）…',
  building: '検索索引を作成しています。初回と、資料やソフトウェアが更新されたときだけ行います（静かな環境で数秒、混んでいると20秒ほど）。',
  loadingIndex: '資料と検索索引を読み込み中',
  openingDatabase: 'データベースを開いています',
  warmUp: '回答の準備をしています',
  step: (n: number, what: string) => `  [${n}] ${what}…`,
  stepDone: (seconds: string) => `完了（${seconds} 秒）`,
  elapsed: (seconds: number) => `${seconds} 秒経過`,
  ready: (seconds: string) => `準備ができました（${seconds} 秒）。`,
  // failures and /health
  dataDirUnusable: (dir: string, code: string) => `データフォルダ「${dir}」を作成できないか、書き込めません（${code}）。書き込みできるフォルダを指定してください`,
  dataDirNotFolder: (dir: string, file: string) => `データフォルダ「${dir}」の途中の「${file}」がフォルダではありません。書き込みできるフォルダを指定してください`,
  /** Slack refused the bot token (invalid_auth and the like): fatal. */
  slackTokenRefused: (error: string) => `Slack がボットトークン（SLACK_BOT_TOKEN）を受け付けませんでした（${error}）。トークンが正しいか、取り消されていないか、アプリがワークスペースにインストールされているかを確認してください`,
  /** Slack refused the app-level token of Socket Mode. */
  slackAppTokenRefused: (error: string) => `Slack がアプリレベルトークン（SLACK_APP_TOKEN）を受け付けませんでした（${error}）。connections:write のスコープを持つトークンか確認してください`,
  /** The Slack API could not be reached within the start-up budget. */
  slackUnreachable: (api: string, attempts: number, seconds: number, reason: string) =>
    `Slack API（${api}）に接続できませんでした（${attempts} 回、${seconds} 秒試しました。最後のエラー: ${reason}）。ネットワーク・プロキシの設定と SLACK_API_URL を確認してください`,
  slackRetrying: (api: string, attempt: number, reason: string) => `Slack API（${api}）に接続できません（${attempt} 回目: ${reason}）。少し待ってもう一度試します`,
  slackSocketTimeout: (seconds: number) => `Slack の Socket Mode の接続を ${seconds} 秒以内に確立できませんでした。ネットワークと SLACK_APP_TOKEN を確認してください`,
  /** An event arrived before the token was verified: answered 503 so that Slack sends it again. */
  slackEarlyEvent: 'Slack の接続確認が終わる前にイベントが届きました。503 を返し、Slack の再送を待ちます',
  discordTokenRefused: 'Discord がボットトークン（DISCORD_TOKEN）を受け付けませんでした。Developer Portal の Bot のトークンを確認してください',
  discordUnreachable: (seconds: number, reason: string) => `Discord に ${seconds} 秒以内に接続できませんでした（${reason}）。ネットワークと DISCORD_API_URL を確認してください`,
  /** /health details. */
  healthStarting: '接続を確認しています',
  healthAuthFailed: (error: string) => `認証に失敗しました（${error}）`,
  healthReconnecting: '再接続しています',
  healthDisconnected: '切断されています',
  dbClosed: 'データベースが閉じられています',
  dbBusy: '別の処理が書き込み中です',
  dbNotWritable: (code: string) => `データベースに書き込めません（${code}）`,
} as const;

/** The same texts under the name the platform adapters use (src/core.ts). */
export const STARTUP = S;
