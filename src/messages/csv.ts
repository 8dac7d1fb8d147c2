/**
 * User-facing Japanese of reading a CSV file (src/csv/): encodings, the parser's errors as a
 * person can act on them, and line numbers. The directory's own column checks are in providers.ts.
 */
export const CSV_TEXT = {
  utf8Bom: 'UTF-8（BOM 付き）',
  notText: 'テキストの CSV ファイルではないようです（Excel のブック形式や画像、UTF-16 のファイルは読めません）。Excel で「CSV UTF-8（コンマ区切り）」か「CSV（コンマ区切り）」で保存し直してください',
  mixedEncodings: (utf8Line: number, firstBadUtf8: number) => `文字コードが混ざっています。${utf8Line ? `${utf8Line}行目などは UTF-8 ですが、` : 'UTF-8 の印（BOM）がありますが、'}${firstBadUtf8}行目は UTF-8 として読めません（Shift_JIS などで書かれた行が混ざっている可能性があります）。ファイル全体を同じ文字コードで保存し直してください`,
  unknownEncoding: (line: number) => `文字コードを判別できません。UTF-8 でも Shift_JIS でも読めないバイトがあります（最初は ${line}行目）。Excel で「CSV UTF-8（コンマ区切り）」で保存し直してください`,
  badShiftJis: (line: number) => `Shift_JIS として読めない文字があります（${line}行目）。Excel で「CSV UTF-8（コンマ区切り）」で保存し直してください`,
  lineError: (line: number, message: string) => `${line}行目: ${message}`,
  more: (count: number) => `ほか ${count} 件`,
  quoteNotClosed: (line: number) => `${line}行目で始まる「"」が閉じていません（セルの中の「"」は「""」と2つ重ねて書きます）`,
  afterClosingQuote: (line: number) => `${line}行目: 「"」で囲んだセルのあとに余分な文字があります（セルの中の「"」は「""」と2つ重ねて書きます）`,
  afterClosingQuoteShort: (line: number) => `${line}行目: 「"」で囲んだセルのあとに余分な文字があります`,
  recordTooLong: (line: number) => `${line}行目: 1行が長すぎます`,
  unreadable: (line: number) => `${line}行目: CSV の形式として読めません（区切りや「"」の使い方を確かめてください）`,
} as const;
