/**
 * Reads a checklist definition written in YAML (CHECKLIST_FILE ending in .yaml or .yml) with the
 * `yaml` package (eemeli/yaml, YAML 1.2: `yes`/`no` stay text, unlike YAML 1.1). A syntax error
 * becomes a KnowledgeError naming the file, the line and the reason in Japanese; a valid file
 * also answers which line any item of it is on, so that the checks after parsing (zod, then
 * checkDefinition) can name the line too.
 */
import { isScalar, LineCounter, parseDocument, visit, type Document } from 'yaml';
import { KnowledgeError } from '../../knowledge/errors.js';
import { CHECKLIST } from '../../messages/checklist.js';

/** A parsed definition file: its content, and the line of an item (by its path), when known. */
export interface DefinitionSource {
  data: unknown;
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

export function readYamlDefinition(file: string, text: string): DefinitionSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true });
  const error = doc.errors[0];
  if (error) {
    // an unclosed quote is noticed where the file ends: name the line where it opens
    const quote = error.code === 'MISSING_CHAR' ? openQuoteAt(doc, error.pos[0]) : undefined;
    const line = quote === undefined ? error.linePos?.[0].line : lines.linePos(quote).line;
    const reason = CHECKLIST.defNotYaml(quote === undefined ? (CHECKLIST.defYamlErrors[error.code] ?? CHECKLIST.defYamlOther) : CHECKLIST.defYamlUnclosedQuote);
    throw new KnowledgeError(file, line ? CHECKLIST.defLine(line) : 'file', reason);
  }
  return {
    data: doc.toJS(),
    lineOf(path) {
      // the item itself, else the nearest enclosing one that exists (a missing key: its object)
      for (let n = path.length; n >= 0; n--) {
        const node = doc.getIn(path.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
        if (node?.range) return lines.linePos(node.range[0]).line;
      }
      return undefined;
    },
  };
}

/** Where a quoted value that runs to `end` (the parser's error position) starts, if there is one. */
function openQuoteAt(doc: Document, end: number): number | undefined {
  let start: number | undefined;
  visit(doc, {
    Scalar(_key, node) {
      if (isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && node.range && node.range[1] >= end) start ??= node.range[0];
    },
  });
  return start;
}
