/**
 * Reads and checks the prefecture's checklist definition (CHECKLIST_FILE) at start, and builds the
 * default one from the handbook's 図6 (knowledge/data/checklist.json) when no file is set. The file
 * is JSON or YAML (yaml.ts). Every error names the file, the item and the reason, as ingest does
 * (KnowledgeError), and in a YAML file the item's line.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { KnowledgeError } from '../../knowledge/errors.js';
import type { KnowledgeBase } from '../../knowledge/load.js';
import type { ChecklistTemplate } from '../../knowledge/schema.js';
import { canonicalJson, ChecklistFileSchema, type ChecklistDefinition, type ChecklistFile, type QuestionDef } from './schema.js';
import { readYamlDefinition, type DefinitionSource } from './yaml.js';
import { CHECKLIST } from '../../messages/checklist.js';

/** The declared version of the built-in template; stored answers from before definitions existed carry it. */
export const TEMPLATE_VERSION = '図6';

/** Step names the flow uses itself; a question or chain step may not take them. */
const RESERVED = new Set(['bind', 'review', 'edit', 'submit', 'cancel', 'back', 'preview']);

/** The version: the declared one, else the first 12 hex digits of the content's SHA-256. */
export function versionOf(file: ChecklistFile): string {
  if (file.version !== undefined) return String(file.version);
  const { version: _v, ...content } = file;
  void _v;
  return `sha-${createHash('sha256').update(canonicalJson(content)).digest('hex').slice(0, 12)}`;
}

/** The step names a question produces in the flow (a chain's steps, the question, its その他). */
export function stepNames(q: QuestionDef): string[] {
  if (q.kind === 'yesno-chain') return q.steps.map((s) => s.id);
  const names = [q.id, `${q.id}-form`];
  if (q.kind === 'multiple') names.push(`${q.id}-none`);
  if ((q.kind === 'multiple' || q.kind === 'single') && q.options.some((o) => o.freeText)) names.push(`${q.id}other`, `${q.id}other-form`);
  return names;
}

/** The line of an item of the file, by its path (YAML files; JSON gives none). */
type LineOf = DefinitionSource['lineOf'];

/** The item an error names, with its line when the file's parser knows it. */
const located = (item: string, path: readonly PropertyKey[], lineOf?: LineOf): string => {
  const line = lineOf?.(path);
  return line ? CHECKLIST.defAtLine(item, line) : item;
};

/** Checks what zod cannot: unique ids, conditions and stages that point at existing answers, references to the knowledge base. */
export function checkDefinition(file: string, def: ChecklistFile, kb: KnowledgeBase, lineOf?: LineOf): void {
  // `at`: where the item is in the file (for its line number)
  const fail = (item: string, reason: string, at: PropertyKey[] = []): never => {
    throw new KnowledgeError(file, located(item, at, lineOf), reason);
  };
  const seen = new Map<string, QuestionDef>();
  const names = new Set<string>();
  const functionIds = new Set(kb.functions.map((f) => f.id));
  const refOk = (r: { kind: string; id: string }): boolean =>
    r.kind === 'faq' ? kb.faq.some((f) => f.id === r.id) : r.kind === 'function' ? functionIds.has(r.id) : r.kind === 'step' ? kb.steps.some((s) => s.id === r.id) : kb.cases.some((c) => c.id === r.id);
  const valueOk = (id: string, value: string, before: Map<string, QuestionDef>): boolean => {
    for (const q of before.values()) {
      if (q.kind === 'yesno-chain' && q.steps.some((s) => s.id === id)) return value === 'yes' || value === 'no';
      if (q.id === id && (q.kind === 'multiple' || q.kind === 'single')) return q.options.some((o) => o.id === value);
    }
    return false;
  };
  def.questions.forEach((q, i) => {
    const item = `questions[${i}] (${q.id})`;
    const at = ['questions', i];
    for (const n of stepNames(q)) {
      const where = q.kind === 'yesno-chain' ? [...at, 'steps', q.steps.findIndex((s) => s.id === n), 'id'] : [...at, 'id'];
      if (RESERVED.has(n)) fail(item, CHECKLIST.defReservedId(n), where);
      if (names.has(n)) fail(item, CHECKLIST.defDuplicateId(n), where);
      names.add(n);
    }
    if (q.askIf) {
      if ('anyNo' in q.askIf) {
        if (seen.get(q.askIf.anyNo)?.kind !== 'yesno-chain') fail(item, CHECKLIST.defAskIfAnyNo(q.askIf.anyNo), [...at, 'askIf']);
      } else if (!valueOk(q.askIf.question, q.askIf.equals, seen)) {
        fail(item, CHECKLIST.defAskIf(q.askIf.question, q.askIf.equals), [...at, 'askIf']);
      }
    }
    if (q.kind === 'multiple' || q.kind === 'single') {
      const ids = new Set<string>();
      q.options.forEach((o, j) => {
        const option = [...at, 'options', j];
        if (ids.has(o.id)) fail(`${item}.options (${o.id})`, CHECKLIST.defDuplicateOption, [...option, 'id']);
        ids.add(o.id);
        if (o.function && !functionIds.has(o.function)) fail(`${item}.options (${o.id})`, CHECKLIST.defUnknownFunction(o.function, [...functionIds].join('、')), [...option, 'function']);
        (o.refs ?? []).forEach((r, k) => {
          if (!refOk(r)) fail(`${item}.options (${o.id})`, CHECKLIST.defRefMissing(r.kind, r.id), [...option, 'refs', k]);
        });
      });
      if (q.options.filter((o) => o.freeText).length > 1) fail(item, CHECKLIST.defOneFreeText, [...at, 'options']);
    }
    if (q.kind === 'number' && q.min !== undefined && q.max !== undefined && q.min > q.max) fail(item, CHECKLIST.defMinMax, [...at, 'min']);
    seen.set(q.id, q);
  });
  const stageIds = new Set<string>();
  def.stages.forEach((s, i) => {
    const item = `stages[${i}] (${s.id})`;
    const at = ['stages', i];
    if (stageIds.has(s.id)) fail(item, CHECKLIST.defDuplicateStage, [...at, 'id']);
    stageIds.add(s.id);
    const [id, value] = s.when.split('=') as [string, string];
    if (!valueOk(id, value, seen)) fail(item, CHECKLIST.defWhen(s.when), [...at, 'when']);
    s.refs.forEach((r, k) => {
      if (!refOk(r)) fail(item, CHECKLIST.defRefMissing(r.kind, r.id), [...at, 'refs', k]);
    });
  });
  def.groups.forEach((g, i) => {
    const item = `groups[${i}] (${g.id})`;
    const at = ['groups', i];
    (g.stages ?? []).forEach((st, k) => {
      if (!stageIds.has(st)) fail(item, CHECKLIST.defStageUnknown(st), [...at, 'stages', k]);
    });
    if (g.anyChosenIn && seen.get(g.anyChosenIn)?.kind !== 'multiple') fail(item, CHECKLIST.defAnyChosenIn(g.anyChosenIn), [...at, 'anyChosenIn']);
    g.refs.forEach((r, k) => {
      if (!refOk(r)) fail(item, CHECKLIST.defRefMissing(r.kind, r.id), [...at, 'refs', k]);
    });
  });
}

/** Whether a definition file is YAML (by its extension; anything else is read as JSON). */
export const isYaml = (path: string): boolean => /\.ya?ml$/i.test(path);

/** Reads, validates and checks a definition file, JSON or YAML (.yaml, .yml). */
export function loadDefinitionFile(path: string, kb: KnowledgeBase): ChecklistDefinition {
  const file = basename(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? CHECKLIST.defFileMissing : CHECKLIST.defUnreadable;
    throw new KnowledgeError(file, 'file', reason);
  }
  let source: DefinitionSource;
  if (isYaml(path)) source = readYamlDefinition(file, text);
  else {
    try {
      source = { data: JSON.parse(text), lineOf: () => undefined };
    } catch {
      throw new KnowledgeError(file, 'file', CHECKLIST.defNotJson);
    }
  }
  const parsed = ChecklistFileSchema.safeParse(source.data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = issue.path.length ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') : 'file';
    // an unknown key: the line of that key, not of its object
    const where = issue.code === 'unrecognized_keys' && 'keys' in issue ? [...issue.path, (issue.keys as string[])[0]!] : issue.path;
    throw new KnowledgeError(file, located(at, where, source.lineOf), translateIssue(issue));
  }
  checkDefinition(file, parsed.data, kb, source.lineOf);
  return { ...parsed.data, version: versionOf(parsed.data) };
}

function translateIssue(issue: { code: string; message: string; path: PropertyKey[] }): string {
  switch (issue.code) {
    case 'invalid_type':
      return CHECKLIST.defMissingField;
    case 'unrecognized_keys':
      return CHECKLIST.defUnknownField(issue.message.replace(/^.*?:\s*/, ''));
    case 'invalid_union':
      return CHECKLIST.defKind;
    case 'too_small':
      return CHECKLIST.defTooFew;
    case 'too_big':
      return CHECKLIST.defTooMany;
    default:
      // our own messages (regex refinements) are already Japanese
      return /[ぁ-んァ-ン一-龥]/.test(issue.message) ? issue.message : CHECKLIST.defBadValue;
  }
}

/** 図6 as a definition: the built-in default, and what knowledge/checklist/zu6.yaml and zu6.json reproduce. */
export function templateDefinition(t: ChecklistTemplate): ChecklistDefinition {
  const advice = new Map(t.difficultyAdvice.map((d) => [d.option, d]));
  const stageIds = t.stages.map((s) => s.id);
  return {
    version: TEMPLATE_VERSION,
    title: t.title,
    source: CHECKLIST.templateSource(t.figure, t.page),
    questions: [
      { kind: 'yesno-chain', id: 'q1', label: 'Q1', title: CHECKLIST.templateQ1Title, prompt: t.q1.prompt, steps: t.q1.steps.map((s) => ({ id: s.id, text: s.text })) },
      { kind: 'text', id: 'q2', label: 'Q2', title: CHECKLIST.templateQ2Title, prompt: t.q2.prompt, maxLength: t.q2.maxLength, askIf: { anyNo: 'q1' } },
      {
        kind: 'multiple', id: 'q3', label: 'Q3', title: CHECKLIST.templateQ3Title, prompt: t.q3.prompt, allowNone: true, otherMaxLength: 200,
        options: t.q3.options.map((o) => {
          const a = advice.get(o.id);
          return { id: o.id, text: o.text, ...(o.freeText ? { freeText: true } : {}), ...(a ? { advice: a.advice, refs: a.refs } : {}) };
        }),
      },
      {
        kind: 'multiple', id: 'q4', label: 'Q4', title: CHECKLIST.templateQ4Title, prompt: t.q4.prompt, otherMaxLength: 200,
        options: t.q4.options.map((o) => ({ id: o.id, text: o.text, ...(o.exclusive ? { exclusive: true } : {}), ...(o.freeText ? { freeText: true } : {}), ...(o.function ? { function: o.function } : {}) })),
      },
    ],
    stages: t.stages.map((s) => ({ id: s.id, label: s.label, when: s.when, advice: s.advice, refs: s.refs })),
    // the handbook's Q4 (P.31): not started = no awareness or no mechanism; struggling = not progressing or a Q3 difficulty; the rest progressing
    groups: t.groups.map((g) => ({
      id: g.id, label: g.label, rule: g.rule, support: g.support, refs: g.refs,
      ...(g.id === 'not-started' ? { stages: stageIds.slice(0, 2) } : g.id === 'struggling' ? { stages: stageIds.slice(2, 3), anyChosenIn: 'q3' } : {}),
    })),
  };
}

/** The definition in force: CHECKLIST_FILE when set, else 図6. */
export function loadChecklistDefinition(path: string | null, kb: KnowledgeBase): ChecklistDefinition {
  return path ? loadDefinitionFile(path, kb) : templateDefinition(kb.checklist);
}
