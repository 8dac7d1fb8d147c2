/**
 * Parses a knowledge document: a front-matter header followed by light Markdown.
 *
 * The format is deliberately small so that a prefecture can write its own documents:
 * - `---` header lines `key: value` (see DocumentHeaderSchema);
 * - `#` headings, optionally with `{#section-id .kind}` attributes (pandoc style);
 * - `<!-- page: 12 -->` markers for paged documents;
 * - `<!-- table: caption -->` … `<!-- /table -->` around a table restated as list lines;
 * - everything else is paragraphs separated by blank lines.
 */
import { DocumentHeaderSchema, type DocumentHeader } from './schema.js';
import { KnowledgeError } from './errors.js';

export type Block =
  | { type: 'heading'; level: number; text: string; id?: string; kind?: string; line: number }
  | { type: 'page'; page: number; line: number }
  | { type: 'paragraph'; lines: string[]; line: number; table?: string };

export interface ParsedDocument {
  header: DocumentHeader;
  blocks: Block[];
  /** The body as written (after the header), for faithfulness checks. */
  body: string;
}

const HEADING = /^(#{1,6})\s+(.*?)\s*(?:\{([^}]*)\})?\s*$/;
const PAGE = /^<!--\s*page:\s*(\d+)\s*-->$/;
const TABLE_OPEN = /^<!--\s*table:\s*(.*?)\s*-->$/;
const TABLE_CLOSE = /^<!--\s*\/table\s*-->$/;

/** Splits `---` front matter from the body and validates it. */
export function parseHeader(file: string, text: string): { header: DocumentHeader; body: string; bodyLine: number } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.trim() !== '---') {
    throw new KnowledgeError(file, 'header', '先頭に --- で囲んだヘッダー（title, publisher, date など）がありません');
  }
  const end = lines.indexOf('---', 1);
  if (end < 0) throw new KnowledgeError(file, 'header', 'ヘッダーの終わりの --- がありません');
  const raw: Record<string, string> = {};
  for (const [i, line] of lines.slice(1, end).entries()) {
    if (!line.trim()) continue;
    const m = /^([A-Za-z][A-Za-z0-9]*):\s*(.*)$/.exec(line);
    if (!m) throw new KnowledgeError(file, `header line ${i + 2}`, `「key: value」の形ではありません: ${line}`);
    raw[m[1]!] = m[2]!.trim();
  }
  const parsed = DocumentHeaderSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new KnowledgeError(file, `header.${issue.path.join('.')}`, issue.message);
  }
  return { header: parsed.data, body: lines.slice(end + 1).join('\n'), bodyLine: end + 2 };
}

/** Parses a whole document file. */
export function parseDocument(file: string, text: string): ParsedDocument {
  const { header, body, bodyLine } = parseHeader(file, text);
  const blocks: Block[] = [];
  let para: string[] = [];
  let paraLine = 0;
  let table: string | undefined;
  const flush = (): void => {
    if (para.length) blocks.push({ type: 'paragraph', lines: para, line: paraLine, ...(table ? { table } : {}) });
    para = [];
  };
  body.split('\n').forEach((rawLine, i) => {
    const line = rawLine.replace(/\s+$/, '');
    const lineNo = bodyLine + i;
    const page = PAGE.exec(line.trim());
    if (page) {
      flush();
      blocks.push({ type: 'page', page: Number(page[1]), line: lineNo });
      return;
    }
    const open = TABLE_OPEN.exec(line.trim());
    if (open) {
      flush();
      table = open[1];
      return;
    }
    if (TABLE_CLOSE.test(line.trim())) {
      flush();
      table = undefined;
      return;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      const attrs = heading[3] ?? '';
      const id = /#([A-Za-z0-9_-]+)/.exec(attrs)?.[1];
      const kind = /\.([A-Za-z0-9_-]+)/.exec(attrs)?.[1];
      blocks.push({ type: 'heading', level: heading[1]!.length, text: heading[2]!, line: lineNo, ...(id ? { id } : {}), ...(kind ? { kind } : {}) });
      return;
    }
    if (!line.trim()) {
      // inside a table block the rows are one paragraph even when separated by blank lines
      if (!table) flush();
      return;
    }
    if (line.trim().startsWith('<!--')) return;
    if (!para.length) paraLine = lineNo;
    para.push(line.trim());
  });
  flush();
  return { header, blocks, body };
}
