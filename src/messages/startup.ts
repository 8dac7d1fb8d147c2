/** User-facing Japanese of the start-up display (the terminal, or the log of a platform bot). */
export const S = {
  starting: '起動しています（資料と検索索引を読み込んでいます）…',
  building: '検索索引を作成しています。初回と、資料やソフトウェアが更新されたときだけ行います（静かな環境で数秒、混んでいると20秒ほど）。',
  loadingIndex: '資料と検索索引を読み込み中',
  openingDatabase: 'データベースを開いています',
  warmUp: '回答の準備をしています',
  step: (n: number, what: string) => `  [${n}] ${what}…`,
  stepDone: (seconds: string) => `完了（${seconds} 秒）`,
  elapsed: (seconds: number) => `${seconds} 秒経過`,
  ready: (seconds: string) => `準備ができました（${seconds} 秒）。`,
} as const;
