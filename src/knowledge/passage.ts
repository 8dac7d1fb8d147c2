/**
 * Passages: the units the bot retrieves and cites. Each is cut at a natural boundary (a Q&A's
 * parts, a case's paragraphs, a section), is at most MAX_PASSAGE_CHARS long, and knows its
 * document, title path, page and kind so that every answer can cite it exactly.
 */
import type { Block, ParsedDocument } from './document.js';

export const MAX_PASSAGE_CHARS = 600;
/** Below this a chunk keeps absorbing following sub-sections rather than standing alone. */
const SOFT_BREAK_CHARS = 280;

export const PASSAGE_KINDS = [
  'overview', 'toc', 'concept', 'step', 'checklist', 'function', 'case', 'faq-list', 'faq',
  'roundtable', 'reference', 'colophon', 'notice', 'section',
] as const;
export type PassageKind = (typeof PASSAGE_KINDS)[number];
/** Kinds that are navigation or imprint, never an answer. */
export const UNSEARCHABLE_KINDS: ReadonlySet<PassageKind> = new Set(['toc', 'colophon']);
/** Passages with less body than this are headings or label lists: kept for display, not searched. */
const MIN_SEARCHABLE_CHARS = 30;

/** Whether the search indexes a passage (and so whether it needs question variants). */
export function isSearchable(p: Pick<Passage, 'kind' | 'text'>): boolean {
  return !UNSEARCHABLE_KINDS.has(p.kind) && p.text.replace(/^.*\n/, '').length >= MIN_SEARCHABLE_CHARS;
}

export interface Passage {
  /** Stable id: `${docId}:${sectionId}:${n}`. */
  id: string;
  docId: string;
  /** The source file name the document came from (e.g. 000_15280890141a4eda.txt). */
  source: string;
  /** Section id of the nearest heading that has one (or a generated one). */
  sectionId: string;
  /** The nearest anchored heading, without attributes. */
  sectionTitle: string;
  /** Heading texts from the top of the document down to the passage. */
  titlePath: string[];
  /** Handbook page where the passage starts, or null for unpaged documents. */
  page: number | null;
  /** Page where the passage ends when it crosses a page break. */
  pageEnd: number | null;
  kind: PassageKind;
  /** The passage text as quoted to users (original wording, at most MAX_PASSAGE_CHARS). */
  text: string;
  /** How many leading lines of `text` repeat the section's headings (context, not content). */
  headingLines: number;
}

interface Heading {
  level: number;
  text: string;
  id?: string;
  kind?: string;
}

function asKind(kind: string | undefined): PassageKind {
  return (PASSAGE_KINDS as readonly string[]).includes(kind ?? '') ? (kind as PassageKind) : 'section';
}

/** Splits an over-long paragraph at sentence ends (。！？) so every piece fits `room`. */
export function splitSentences(text: string, room: number): string[] {
  const sentences = text.match(/[^。！？\n]+[。！？]?\n?|\n/g) ?? [text];
  const pieces: string[] = [];
  let cur = '';
  for (const s of sentences) {
    if (cur && (cur + s).length > room) {
      pieces.push(cur.trim());
      cur = '';
    }
    if (s.length > room) {
      // a single sentence longer than the room: cut it hard, it is rare (long URLs, lists without 。)
      for (let i = 0; i < s.length; i += room) pieces.push(s.slice(i, i + room).trim());
      continue;
    }
    cur += s;
  }
  if (cur.trim()) pieces.push(cur.trim());
  return pieces.filter(Boolean);
}

/** A short one-line paragraph without a sentence end: a label for what follows. */
function isLabel(text: string): boolean {
  return !text.includes('\n') && text.length <= 30 && !/[。．]$/.test(text) && !/^(・|※|\(出所\)|\(参考\))/.test(text);
}

/** The passage without the heading lines it repeats for context. */
export function passageBody(p: Pick<Passage, 'text' | 'headingLines'>): string {
  return p.text.split('\n').slice(p.headingLines).join('\n');
}

/** Cuts a parsed document into passages. */
export function buildPassages(doc: ParsedDocument, source: string): Passage[] {
  const docId = doc.header.id;
  const paged = doc.header.paged === 'true';
  const passages: Passage[] = [];
  const stack: Heading[] = [];
  const counters = new Map<string, number>();
  let generated = 0;
  let page: number | null = null;

  let anchor: Heading | undefined;
  let anchorKey = '';
  let lines: string[] = [];
  let subheading: string | undefined;
  let chunkPage: number | null = null;
  let chunkLastPage: number | null = null;
  let chunkKind: PassageKind = 'section';
  let chunkPath: string[] = [];
  let chunkHeadingLines = 0;
  let length = 0;

  const anchorOf = (): Heading | undefined => [...stack].reverse().find((h) => h.id) ?? stack[stack.length - 1];
  const kindOf = (): PassageKind => asKind([...stack].reverse().find((h) => h.kind)?.kind);

  const flush = (): void => {
    const text = lines.join('\n').trim();
    const bodyOnly = lines.filter((l) => l !== anchor?.text && l !== subheading).join('').trim();
    if (text && bodyOnly) {
      const sectionId = anchorKey || 'top';
      const n = (counters.get(sectionId) ?? 0) + 1;
      counters.set(sectionId, n);
      passages.push({
        id: `${docId}:${sectionId}:${n}`,
        docId,
        source,
        sectionId,
        sectionTitle: anchor?.text ?? doc.header.title,
        titlePath: chunkPath,
        page: paged ? chunkPage : null,
        pageEnd: paged && chunkLastPage !== chunkPage ? chunkLastPage : null,
        kind: chunkKind,
        text,
        headingLines: chunkHeadingLines,
      });
    }
    lines = [];
    length = 0;
  };

  const startChunk = (): void => {
    chunkPage = page;
    chunkLastPage = page;
    chunkKind = kindOf();
    chunkPath = stack.map((h) => h.text);
    const prefix = [anchor?.text, subheading].filter((x): x is string => Boolean(x));
    lines = [...new Set(prefix)];
    chunkHeadingLines = lines.length;
    length = lines.join('\n').length;
  };

  const add = (text: string): void => {
    if (!lines.length) startChunk();
    if (length + text.length + 1 > MAX_PASSAGE_CHARS) {
      flush();
      startChunk();
    }
    const room = MAX_PASSAGE_CHARS - length - 1;
    if (text.length > room) {
      for (const piece of splitSentences(text, room)) {
        if (length + piece.length + 1 > MAX_PASSAGE_CHARS) {
          flush();
          startChunk();
        }
        lines.push(piece);
        length += piece.length + 1;
        chunkLastPage = page;
      }
      return;
    }
    lines.push(text);
    length += text.length + 1;
    chunkLastPage = page;
  };

  let pendingLabel: string | undefined;
  for (const block of doc.blocks as Block[]) {
    if (block.type !== 'paragraph' && pendingLabel !== undefined) {
      add(pendingLabel);
      pendingLabel = undefined;
    }
    if (block.type === 'page') {
      page = block.page;
      if (!lines.length || lines.every((l) => l === anchor?.text || l === subheading)) {
        chunkPage = page;
        chunkLastPage = page;
      }
      continue;
    }
    if (block.type === 'heading') {
      while (stack.length && stack[stack.length - 1]!.level >= block.level) stack.pop();
      const heading: Heading = { level: block.level, text: block.text, ...(block.id ? { id: block.id } : {}), ...(block.kind ? { kind: block.kind } : {}) };
      stack.push(heading);
      const next = anchorOf();
      if (block.id || next !== anchor) {
        flush();
        anchor = next;
        anchorKey = anchor?.id ?? `s${++generated}`;
        if (anchor && !anchor.id) anchor.id = anchorKey;
        subheading = undefined;
        lines = [];
        startChunk();
      } else {
        // a sub-heading inside the anchored section: start a new passage only if this one is substantial
        if (length >= SOFT_BREAK_CHARS) flush();
        subheading = block.text;
        if (!lines.length) startChunk();
        else add(block.text);
      }
      continue;
    }
    const text = block.lines.join('\n');
    if (pendingLabel !== undefined) {
      add(`${pendingLabel}\n${text}`);
      pendingLabel = undefined;
    } else if (isLabel(text)) {
      // a label (「参加者」「交流会」「実践上のポイント」) belongs with what follows it
      pendingLabel = text;
    } else {
      add(text);
    }
  }
  if (pendingLabel !== undefined) add(pendingLabel);
  flush();
  return passages;
}
