/**
 * User-facing Japanese of the checklist definition file (CHECKLIST_FILE, issue 21): the reasons a
 * YAML file cannot be read, by the parser's error code (the `yaml` package's own messages are
 * English and never shown), and how a line number is added to the item an error names.
 */
export const C = {
  /** The item an error names, with the line of the file it is on. */
  atLine: (item: string, line: number) => `${item}（${line}行目）`,
  yamlUnreadable: (reason: string) => `YAML として読めません。${reason}`,
  /** By error code of the `yaml` package (eemeli/yaml, src/errors.ts). */
  yamlErrors: {
    BAD_INDENT: 'インデント（行頭の空白）が揃っていません',
    TAB_AS_INDENT: 'インデントにタブが使われています（半角の空白にしてください）',
    DUPLICATE_KEY: '同じ項目名が2回書かれています',
    MISSING_CHAR: '必要な記号が足りません（閉じる引用符やかっこ、リストの「- 」などを確かめてください）',
    BLOCK_AS_IMPLICIT_KEY: '項目名のあとの「: 」か、行の区切りの位置が正しくありません',
    MULTILINE_IMPLICIT_KEY: '項目名は1行に書き、「: 」で終えてください',
    UNEXPECTED_TOKEN: 'ここに書けない記号があります',
    BAD_SCALAR_START: '値が「@」や「`」などの記号で始まっています（"…" で囲んでください）',
    BAD_DQ_ESCAPE: '"…" の中の「\\」の使い方が正しくありません',
    MULTIPLE_DOCS: '「---」で区切られた文書が2つ以上あります（1つにしてください）',
    BLOCK_IN_FLOW: '[ ] や { } の中では複数行の書き方を使えません',
    NON_STRING_KEY: '項目名は文字にしてください',
    TAG_RESOLVE_FAILED: '「!」で始まるタグは使えません',
    BAD_ALIAS: '「*」で始まる参照（エイリアス）の指す先がありません',
    RESOURCE_EXHAUSTION: '参照（エイリアス）の展開が多すぎます',
  } as Record<string, string>,
  /** A quoted value never closed (reported at the line where the quote opens). */
  yamlUnclosedQuote: 'この行で始まる引用符（" または \'）が閉じられていません',
  /** Any other parser error. */
  yamlOther: '書き方が正しくありません',
} as const;
