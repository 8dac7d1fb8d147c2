/**
 * Reading a CSV the way every import should: the bytes decoded with a verdict (decode.ts), line
 * endings normalised before parsing (a file whose first lines end in CRLF and the rest in LF would
 * otherwise merge rows), records handed over one at a time with the line each starts on, the cells
 * returned to their original text (the writer's formula quoting undone, control characters removed
 * as in chat messages), every parser error translated into Japanese with the right line, and the
 * event loop given back every few hundred rows so a bot that imports keeps answering.
 */
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { stripControlCharacters } from '../knowledge/normalize.js';
import { decodeCsvBytes, type Encoding } from './decode.js';
import { unescapeCell } from './writer.js';
import { CSV_TEXT } from '../messages/csv.js';

/** A problem with one line of the file, shown as 「N行目: …」. */
export interface LineError {
  line: number;
  message: string;
}

/** Thrown when the file cannot be read further (encoding, broken quoting, a bad header). */
export class CsvReadError extends Error {
  readonly code = 'CSV_UNREADABLE';
  constructor(
    readonly line: number,
    /** Safe to show: Japanese, no bytes of the file. */
    readonly userMessage: string,
    options?: { cause?: unknown },
  ) {
    super(userMessage, options);
    this.name = 'CsvReadError';
  }
}

/** CR LF and lone CR become LF, so that one file's mixed line endings cannot merge records. */
export function normaliseLineEndings(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** A cell as stored: the writer's quoting removed, control characters stripped like chat input, trimmed. */
export function cleanCell(value: string): string {
  return stripControlCharacters(unescapeCell(value.trim())).trim();
}

/** A value from the file, cut for an error line (the whole of a 10,000-character cell is no help). */
export function shown(value: string, max = 30): string {
  const chars = [...value.replace(/\s+/g, ' ')];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : chars.join('');
}

/** Error lines for people: the first `max`, then 「ほか N 件」. */
export function errorLines(errors: readonly LineError[], max = 50): string[] {
  const out = errors.slice(0, max).map((e) => CSV_TEXT.lineError(e.line, e.message));
  if (errors.length > max) out.push(CSV_TEXT.more(errors.length - max));
  return out;
}

/** csv-parse's errors, in Japanese. `start` is the line the broken record starts on. */
function translate(error: unknown, start: number): CsvReadError {
  const code = (error as { code?: string }).code ?? '';
  const messages: Record<string, string> = {
    CSV_QUOTE_NOT_CLOSED: CSV_TEXT.quoteNotClosed(start),
    CSV_INVALID_CLOSING_QUOTE: CSV_TEXT.afterClosingQuote(start),
    CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: CSV_TEXT.afterClosingQuoteShort(start),
    CSV_MAX_RECORD_SIZE: CSV_TEXT.recordTooLong(start),
  };
  return new CsvReadError(start, messages[code] ?? CSV_TEXT.unreadable(start), { cause: error });
}

export interface CsvRecord {
  /** The line (1-based, in the file) the record starts on. */
  line: number;
  cells: string[];
}

export interface ReadOptions {
  /** Give the event loop back after this many records (0: never). */
  yieldEvery?: number;
  /** Longest record accepted, in characters. */
  maxRecordChars?: number;
}

/**
 * Decodes and parses a file; returns its encoding and an async iterator of raw records (cells not
 * yet cleaned: the caller decides per column). Empty lines are skipped. Throws CsvReadError.
 */
export function readCsv(data: Buffer, options: ReadOptions = {}): { encoding: Encoding; records: AsyncGenerator<CsvRecord> } {
  const decoded = decodeCsvBytes(data);
  if (!decoded.ok) throw new CsvReadError(decoded.line, CSV_TEXT.lineError(decoded.line, decoded.message));
  const text = normaliseLineEndings(decoded.text);
  const yieldEvery = options.yieldEvery ?? 500;
  async function* records(): AsyncGenerator<CsvRecord> {
    // the line each record ends on is tracked as csv-parse reads (on_record runs in order, before any
    // error): the async iterator drops records still buffered when an error comes
    let end = 0;
    let empty = 0;
    const parser = parse({
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      max_record_size: options.maxRecordChars ?? 1_000_000,
      on_record: (record: string[], context) => {
        const line = end + 1 + (context.empty_lines - empty);
        end = context.lines;
        empty = context.empty_lines;
        return { line, cells: record } as unknown as string[];
      },
    });
    const CHUNK = 64 * 1024;
    Readable.from((function* () {
      for (let i = 0; i < text.length; i += CHUNK) yield text.slice(i, i + CHUNK);
    })()).pipe(parser);
    let n = 0;
    try {
      for await (const item of parser as AsyncIterable<CsvRecord>) {
        yield item;
        if (yieldEvery && ++n % yieldEvery === 0) await new Promise((r) => setImmediate(r));
      }
    } catch (error) {
      throw translate(error, end + 1);
    }
  }
  return { encoding: decoded.encoding, records: records() };
}
