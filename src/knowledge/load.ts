/**
 * Loads and validates knowledge/: the documents (as passages) and the structured records on top
 * of them. Every record must point at a real section and quote its document faithfully; the
 * first check that fails names the file, the record and the reason.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { z } from 'zod';
import { parseDocument, type ParsedDocument } from './document.js';
import { KnowledgeError } from './errors.js';
import { fingerprint } from './normalize.js';
import { buildPassages, MAX_PASSAGE_CHARS, type Passage } from './passage.js';
import { loadQuestionVariants } from './questions.js';
import {
  CaseFileSchema, ChecklistTemplateSchema, FaqFileSchema, FunctionFileSchema, GlossarySchema, StepFileSchema, TaxonomySchema,
  type CaseRecord, type ChecklistTemplate, type DocumentHeader, type Faq, type Glossary, type KnowledgeRef, type PlatformFunction, type Step, type Taxonomy,
} from './schema.js';

export interface KnowledgeDocument {
  header: DocumentHeader;
  /** File the document was read from, relative to its knowledge folder. */
  file: string;
  /** Source file name used in citations (the header's `source`, or the file name). */
  source: string;
  /** Whether the document came from the prefecture's own folder. */
  local: boolean;
  sectionIds: string[];
  fingerprint: string;
}

export interface KnowledgeBase {
  documents: KnowledgeDocument[];
  passages: Passage[];
  faq: Faq[];
  steps: Step[];
  functions: PlatformFunction[];
  functionValues: { id: string; label: string }[];
  cases: CaseRecord[];
  caseThemes: string[];
  checklist: ChecklistTemplate;
  taxonomy: Taxonomy;
  glossary: Glossary;
  /** Question variants by passage id (knowledge/questions.ts): searched, never shown. */
  questions: Record<string, string[]>;
  /** Hash of every file read: the search index is rebuilt when it changes. */
  contentHash: string;
}

export interface LoadOptions {
  /** The project's knowledge folder (documents/ and data/ inside). */
  dir: string;
  /** Extra folders with a prefecture's own documents (Markdown or text with a header). */
  localDirs?: string[];
}

function readJson<S extends z.ZodTypeAny>(file: string, schema: S): z.infer<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new KnowledgeError(basename(file), 'file', `JSON として読めません: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new KnowledgeError(basename(file), issue.path.join('.') || 'file', issue.message);
  }
  return parsed.data;
}

function listDocuments(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.(md|txt)$/i.test(f) && !/^readme\.md$/i.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/** Loads everything, validates it and cuts the passages. Throws KnowledgeError on the first problem. */
export function loadKnowledge(options: LoadOptions): KnowledgeBase {
  const hash = createHash('sha256');
  const documents: KnowledgeDocument[] = [];
  const passages: Passage[] = [];
  const parsedById = new Map<string, ParsedDocument>();
  const folders = [{ dir: join(options.dir, 'documents'), local: false }, ...(options.localDirs ?? []).map((dir) => ({ dir, local: true }))];
  for (const { dir, local } of folders) {
    for (const path of listDocuments(dir)) {
      const file = basename(path);
      const text = readFileSync(path, 'utf8');
      hash.update(file).update('\0').update(text);
      const parsed = parseDocument(file, text);
      const { header } = parsed;
      if (parsedById.has(header.id)) throw new KnowledgeError(file, 'header.id', `id「${header.id}」が他の文書と重複しています`);
      parsedById.set(header.id, parsed);
      const source = header.source ?? file;
      const docPassages = buildPassages(parsed, source);
      if (!docPassages.length) throw new KnowledgeError(file, 'body', '本文がありません');
      for (const p of docPassages) {
        if (p.text.length > MAX_PASSAGE_CHARS) throw new KnowledgeError(file, p.id, `パッセージが ${MAX_PASSAGE_CHARS} 文字を超えています`);
      }
      if (header.paged === 'true' && docPassages.some((p) => p.page === null)) {
        const first = docPassages.find((p) => p.page === null)!;
        throw new KnowledgeError(file, first.id, 'ページ付きの文書ですが、ページ番号（<!-- page: N -->）より前に本文があります');
      }
      passages.push(...docPassages);
      documents.push({
        header,
        file,
        source,
        local,
        sectionIds: [...new Set(docPassages.map((p) => p.sectionId))],
        fingerprint: fingerprint(parsed.body),
      });
    }
  }
  const dataDir = join(options.dir, 'data');
  const dataFiles = ['faq.json', 'steps.json', 'functions.json', 'cases.json', 'checklist.json', 'taxonomy.json', 'glossary.json'];
  for (const f of dataFiles) hash.update(f).update('\0').update(readFileSync(join(dataDir, f)));

  const faq = readJson(join(dataDir, 'faq.json'), FaqFileSchema).items;
  const steps = readJson(join(dataDir, 'steps.json'), StepFileSchema).items;
  const functionFile = readJson(join(dataDir, 'functions.json'), FunctionFileSchema);
  const caseFile = readJson(join(dataDir, 'cases.json'), CaseFileSchema);
  const checklist = readJson(join(dataDir, 'checklist.json'), ChecklistTemplateSchema);
  const taxonomy = readJson(join(dataDir, 'taxonomy.json'), TaxonomySchema);
  const glossary = readJson(join(dataDir, 'glossary.json'), GlossarySchema);
  const localDocs = new Set(documents.filter((d) => d.local).map((d) => d.header.id));
  const questions = loadQuestionVariants(dataDir, options.localDirs ?? [], passages, (p) => localDocs.has(p.docId));
  for (const f of questions.files) hash.update(basename(f)).update('\0').update(readFileSync(f));
  // the scope model is fitted on the calibration questions: new ones mean a new fit
  for (const f of ['in-scope.jsonl', 'out-of-scope.jsonl', 'answerable-examples.jsonl'].map((n) => join(options.dir, 'calibration', n)).filter((f) => existsSync(f))) hash.update(basename(f)).update('\0').update(readFileSync(f));

  const kb: KnowledgeBase = {
    documents,
    passages,
    faq,
    steps,
    functions: functionFile.items,
    functionValues: functionFile.values,
    cases: caseFile.items,
    caseThemes: caseFile.themes,
    checklist,
    taxonomy,
    glossary,
    questions: questions.variants,
    contentHash: hash.digest('hex').slice(0, 16),
  };
  validateRecords(kb);
  return kb;
}

/** The handbook: the one paged document the structured records mostly point into. */
export function handbookOf(kb: Pick<KnowledgeBase, 'documents'>): KnowledgeDocument {
  const doc = kb.documents.find((d) => d.header.id === 'handbook');
  if (!doc) throw new KnowledgeError('documents/handbook.md', 'file', '手引き本体（id: handbook）が見つかりません');
  return doc;
}

function validateRecords(kb: KnowledgeBase): void {
  const handbook = handbookOf(kb);
  const bySource = (source: string, file: string, record: string): KnowledgeDocument => {
    const doc = kb.documents.find((d) => d.source === source && !d.local);
    if (!doc) throw new KnowledgeError(file, record, `source「${source}」の文書がありません`);
    return doc;
  };
  const quote = (doc: KnowledgeDocument, text: string, file: string, record: string): void => {
    if (!doc.fingerprint.includes(fingerprint(text))) {
      throw new KnowledgeError(file, record, `「${text.slice(0, 40)}」が ${doc.file} の本文に見つかりません（原文どおりに引用してください）`);
    }
  };
  const section = (doc: KnowledgeDocument, id: string, file: string, record: string): void => {
    if (!doc.sectionIds.includes(id)) throw new KnowledgeError(file, record, `セクション「${id}」が ${doc.file} にありません`);
  };

  // Q&A: exactly Q1..Q13, each pointing at its section and quoting the handbook.
  const numbers = kb.faq.map((f) => f.number).sort((a, b) => a - b);
  if (numbers.length !== 13 || numbers.some((n, i) => n !== i + 1)) {
    throw new KnowledgeError('faq.json', 'items', `Q&A は Q1〜Q13 の13件が必要です（現在 ${numbers.join(',')}）`);
  }
  for (const f of kb.faq) {
    const rec = f.id;
    if (f.id !== `Q${f.number}`) throw new KnowledgeError('faq.json', rec, 'id と number が一致しません');
    section(handbook, f.sectionId, 'faq.json', rec);
    for (const text of [f.question, ...f.keyPoints, ...f.solutions, ...(f.worry ? [f.worry] : [])]) quote(handbook, text, 'faq.json', rec);
    const passage = kb.passages.find((p) => p.docId === 'handbook' && p.sectionId === f.sectionId);
    if (passage?.page !== f.page) throw new KnowledgeError('faq.json', rec, `page ${f.page} が本文のページ（${passage?.page}）と一致しません`);
  }
  const faqIds = new Set(kb.faq.map((f) => f.id));
  const caseIds = new Set(kb.cases.map((c) => c.id));
  const functionIds = new Set(kb.functions.map((f) => f.id));
  const stepIds = new Set(kb.steps.map((s) => s.id));
  const refOk = (ref: KnowledgeRef): boolean =>
    ref.kind === 'faq' ? faqIds.has(ref.id) : ref.kind === 'case' ? caseIds.has(ref.id) : ref.kind === 'function' ? functionIds.has(ref.id) : stepIds.has(ref.id);

  for (const s of kb.steps) {
    section(handbook, s.sectionId, 'steps.json', s.id);
    for (const t of [s.startWhen, s.prefectureWish, s.purpose, s.why, s.doneWhen, s.afterState, ...s.currentState.map((c) => c.text)]) quote(handbook, t, 'steps.json', s.id);
    for (const sub of s.subSteps) {
      section(handbook, sub.sectionId, 'steps.json', `${s.id}.${sub.id}`);
      quote(handbook, sub.action, 'steps.json', `${s.id}.${sub.id}`);
      quote(handbook, sub.how, 'steps.json', `${s.id}.${sub.id}`);
    }
    for (const q of s.relatedFaq) if (!faqIds.has(q)) throw new KnowledgeError('steps.json', s.id, `relatedFaq「${q}」がありません`);
    for (const c of s.relatedCases) if (!caseIds.has(c)) throw new KnowledgeError('steps.json', s.id, `relatedCases「${c}」がありません`);
  }
  const valueIds = new Set(kb.functionValues.map((v) => v.id));
  for (const fn of kb.functions) {
    section(handbook, fn.sectionId, 'functions.json', fn.id);
    for (const t of [fn.lead, fn.value, ...fn.targetStepsEvidence, fn.checklistOption]) quote(handbook, t, 'functions.json', fn.id);
    for (const v of Object.keys(fn.matrix)) if (!valueIds.has(v)) throw new KnowledgeError('functions.json', fn.id, `matrix の「${v}」は values にありません`);
    for (const c of fn.exampleCases) if (!caseIds.has(c)) throw new KnowledgeError('functions.json', fn.id, `exampleCases「${c}」がありません`);
  }
  const themes = new Set(kb.caseThemes);
  for (const c of kb.cases) {
    const doc = bySource(c.source, 'cases.json', c.id);
    section(doc, c.sectionId, 'cases.json', c.id);
    for (const t of c.facts) quote(doc, t, 'cases.json', c.id);
    for (const f of c.functions) if (!functionIds.has(f)) throw new KnowledgeError('cases.json', c.id, `functions「${f}」は6つの機能にありません`);
    for (const t of c.themes) if (!themes.has(t)) throw new KnowledgeError('cases.json', c.id, `themes「${t}」は themes の一覧にありません`);
    if (doc.header.paged === 'true' && c.page === null) throw new KnowledgeError('cases.json', c.id, '手引きの事例には page が必要です');
  }
  const cl = kb.checklist;
  section(handbook, cl.sectionId, 'checklist.json', 'checklist');
  for (const t of [cl.q1.prompt, ...cl.q1.steps.map((s) => s.text), cl.q2.prompt, cl.q3.prompt, ...cl.q3.options.map((o) => o.text), cl.q4.prompt, ...cl.q4.options.map((o) => o.text)]) {
    quote(handbook, t, 'checklist.json', 'checklist');
  }
  for (const o of cl.q4.options) if (o.function && !functionIds.has(o.function)) throw new KnowledgeError('checklist.json', `q4.${o.id}`, `function「${o.function}」がありません`);
  for (const s of [...cl.stages, ...cl.difficultyAdvice, ...cl.groups]) {
    for (const r of s.refs) if (!refOk(r)) throw new KnowledgeError('checklist.json', 'refs', `参照 ${r.kind}:${r.id} がありません`);
  }
  for (const g of cl.groups) quote(handbook, g.support, 'checklist.json', `groups.${g.id}`);
  section(handbook, kb.taxonomy.sectionId, 'taxonomy.json', 'taxonomy');
  for (const c of kb.taxonomy.categories) {
    quote(handbook, c.name, 'taxonomy.json', c.id);
    for (const s of c.subcategories) quote(handbook, s.name, 'taxonomy.json', s.id);
  }
  // a definition that quotes nothing would silently leave 「〇〇って何？」 to the general ranking
  for (const g of kb.glossary.groups) {
    if (!g.definition) continue;
    const doc = kb.documents.find((d) => d.header.id === g.definition!.doc);
    if (!doc) throw new KnowledgeError('glossary.json', g.terms[0]!, `definition.doc「${g.definition.doc}」の文書がありません`);
    quote(doc, g.definition.quote, 'glossary.json', g.terms[0]!);
  }
}
