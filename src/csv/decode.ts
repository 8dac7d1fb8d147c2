/**
 * The encoding of an uploaded CSV, decided for the whole file with a clear verdict: UTF-8 (with or
 * without BOM) when every byte sequence is valid UTF-8, Shift_JIS (CP932, what Excel in Japan
 * writes) when every sequence is valid CP932, otherwise an error that names the problem and the
 * first line where it occurs. Nothing is decoded with replacement characters (「テスト�@��」), and
 * a file that mixes UTF-8 lines with Shift_JIS lines is refused as such, not decoded whole as CP932.
 */
import iconv from 'iconv-lite';
import { CSV_TEXT } from '../messages/csv.js';

export type Encoding = 'utf-8' | 'utf-8-bom' | 'shift_jis';

/** How each encoding is named to the user. */
export const ENCODING_LABEL: Record<Encoding, string> = { 'utf-8': 'UTF-8', 'utf-8-bom': CSV_TEXT.utf8Bom, shift_jis: 'Shift_JIS' };

export type Decoded = { ok: true; text: string; encoding: Encoding } | { ok: false; line: number; message: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

function validUtf8(bytes: Uint8Array): boolean {
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Physical lines of the bytes (split at LF; CR stays with its line, which is ASCII anyway). */
function* lines(data: Buffer): Generator<{ line: number; bytes: Buffer }> {
  let start = 0;
  let line = 1;
  for (;;) {
    const end = data.indexOf(0x0a, start);
    yield { line, bytes: data.subarray(start, end < 0 ? data.length : end) };
    if (end < 0) return;
    start = end + 1;
    line++;
  }
}

const hasHighBytes = (b: Buffer): boolean => b.some((x) => x >= 0x80);

/** Whether every byte of the line is a valid CP932 sequence (lead 81–9F/E0–FC + trail 40–7E/80–FC, or one byte). */
function validCp932(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) {
    const x = b[i]!;
    if (x < 0x80 || (x >= 0xa1 && x <= 0xdf)) continue;
    if ((x >= 0x81 && x <= 0x9f) || (x >= 0xe0 && x <= 0xfc)) {
      const y = b[i + 1];
      if (y === undefined || y < 0x40 || y === 0x7f || y > 0xfc) return false;
      i++;
      continue;
    }
    return false;
  }
  return true;
}

/** File signatures of what people send instead of a CSV: xlsx/zip, xls, PDF, PNG, JPEG, GIF, UTF-16 BOMs. */
const SIGNATURES = [[0x50, 0x4b, 0x03, 0x04], [0xd0, 0xcf, 0x11, 0xe0], [0x25, 0x50, 0x44, 0x46], [0x89, 0x50, 0x4e, 0x47], [0xff, 0xd8, 0xff], [0x47, 0x49, 0x46, 0x38], [0xff, 0xfe], [0xfe, 0xff]];

/** A known binary signature, or NUL bytes in more than 1% of the first 8 KB (one stray NUL in a cell is removed later, like any control character). */
function looksBinary(b: Buffer): boolean {
  if (SIGNATURES.some((sig) => sig.every((x, i) => b[i] === x))) return true;
  const head = b.subarray(0, 8192);
  let nul = 0;
  for (const x of head) if (x === 0) nul++;
  return nul > head.length / 100;
}

/** Decodes the bytes of a CSV file, or says why they are not text in one known encoding. */
export function decodeCsvBytes(data: Buffer): Decoded {
  const bom = data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf;
  const body = bom ? data.subarray(3) : data;
  // a workbook, an image or a UTF-16 file is not a CSV text (and its bytes are never echoed back)
  if (looksBinary(body)) {
    return { ok: false, line: 1, message: CSV_TEXT.notText };
  }
  if (validUtf8(body)) return { ok: true, text: body.toString('utf8'), encoding: bom ? 'utf-8-bom' : 'utf-8' };
  let utf8Line = 0;
  let firstBadUtf8 = 0;
  let firstBadSjis = 0;
  for (const { line, bytes } of lines(body)) {
    if (!hasHighBytes(bytes)) continue;
    if (validUtf8(bytes)) utf8Line ||= line;
    else firstBadUtf8 ||= line;
    if (!validCp932(bytes)) firstBadSjis ||= line;
  }
  if (bom || utf8Line) {
    // the file is UTF-8 (it says so, or has UTF-8 lines): another encoding in some lines is an error, not a reason to guess
    return { ok: false, line: firstBadUtf8, message: CSV_TEXT.mixedEncodings(utf8Line, firstBadUtf8) };
  }
  if (firstBadSjis) {
    return { ok: false, line: firstBadSjis, message: CSV_TEXT.unknownEncoding(firstBadSjis) };
  }
  const text = iconv.decode(body, 'cp932');
  const bad = text.indexOf('\ufffd');
  if (bad >= 0) {
    const line = text.slice(0, bad).split('\n').length;
    return { ok: false, line, message: CSV_TEXT.badShiftJis(line) };
  }
  return { ok: true, text, encoding: 'shift_jis' };
}
