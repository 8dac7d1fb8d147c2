/**
 * User-facing Japanese of the provider directory's import (issue 16): what the chat upload and
 * `npm run providers:import` say when an import cannot start, is stopped or meets a conflict.
 */
export const P = {
  /** Another import is running (on this connection, or in another process on the same database). */
  importBusy: '別の取り込みが進行中です。終わってからもう一度送ってください。',
  /** A provider with a new row's external id was registered by someone else while the file was being written. */
  importConflict: (line: number, externalId: string) =>
    `${line}行目: 外部ID「${externalId}」の事業者が、取り込みの途中に別の操作で登録されました。取り込みは取り消しました（何も変わっていません）。もう一度取り込んでください。`,
  /** The import was stopped before its commit (Ctrl+C, or the bot shutting down): everything written so far was undone. */
  importCancelled: '取り込みを中断しました。書きかけの内容はすべて取り消し、何も変わっていません。',
  /** Printed by the CLI when Ctrl+C arrives. */
  importStopping: '中断しています（書きかけの内容を取り消しています）…',
  /** An import of another process was found unfinished at start (the process ended mid-way) and was undone or finished. */
  importRecovered: (rolledBack: number, finished: number) =>
    `前回の取り込みが途中で終わっていました: ${rolledBack ? `${rolledBack} 件を取り消しました` : ''}${rolledBack && finished ? '、' : ''}${finished ? `${finished} 件の残りを書き込みました` : ''}。`,
} as const;
