/**
 * The prefecture's view of the checklist (admins only): who answered and who has not, the count
 * per stage, tallies for every option and the free texts of the definition in force (answers under
 * a version without a question counted as not asked), the versions answered under, the grouping of the handbook's
 * Q4 with the support it suggests, a drill-down to one municipality with its history, and a CSV
 * export that opens correctly in Japanese Excel.
 */
import { csvBuffer } from '../csv/writer.js';
import { datedFileName, localDateTime } from '../csv/time.js';
import { answerColumns, wasAsked } from './columns.js';
import type { ChecklistDefinition } from './definition/schema.js';
import { choiceOf, groupOf, stageOf } from './model.js';
import { authorize } from '../engine/auth.js';
import { handled, type Handled } from '../engine/context.js';
import type { ViewCtx as Ctx } from './context.js';
import type { Block, Reply } from '../engine/types.js';
import { text } from '../engine/types.js';
import type { ChecklistSubmission } from './repository.js';
import type { Municipality } from '../store/municipalities.js';
import { answerLines, answerText, refLabel } from './summary.js';
import { CHECKLIST } from '../messages/checklist.js';

function denied(ctx: Ctx, action: 'checklist.overview' | 'checklist.export', municipalityId?: string): Handled | null {
  const d = authorize(ctx.services, ctx.actor, action, municipalityId ? { municipalityId } : {});
  return d.ok ? null : handled([text(d.message, { ephemeral: true })]);
}

export function adminMenu(ctx: Ctx): Reply {
  const answered = ctx.services.checklists.allLatest();
  const names = new Map(ctx.services.municipalities.all().map((m) => [m.id, m.name]));
  return {
    blocks: [
      { type: 'header', text: CHECKLIST.adminHeader },
      { type: 'text', text: CHECKLIST.adminAnswered(answered.length) },
      {
        type: 'actions',
        controls: [
          { kind: 'button', action: 'checklist:overview', label: CHECKLIST.adminOverview, style: 'primary' },
          { kind: 'button', action: 'checklist:groups', label: CHECKLIST.adminGroups },
          { kind: 'button', action: 'checklist:export', label: CHECKLIST.adminExport },
          { kind: 'button', action: 'analysis:gaps', label: CHECKLIST.adminGaps },
          { kind: 'button', action: 'cmd', value: 'pf-checklist プレビュー', label: CHECKLIST.adminPreview },
        ],
      },
      ...(answered.length
        ? [{ type: 'actions' as const, controls: [{ kind: 'select' as const, action: 'checklist:detail', placeholder: CHECKLIST.adminDetailSelect, options: answered.slice(0, 100).map((r) => ({ label: names.get(r.municipalityId) ?? r.municipalityId, value: r.municipalityId })) }] }]
        : []),
      { type: 'context', text: CHECKLIST.adminOnBehalfHint },
    ],
  };
}

interface Overview {
  expected: Municipality[];
  latest: ChecklistSubmission[];
  unanswered: Municipality[];
}

function collect(ctx: Ctx): Overview {
  const listMode = Boolean(ctx.services.config.municipalitiesFile);
  const expected = ctx.services.municipalities.all(listMode);
  const latest = ctx.services.checklists.allLatest();
  const answered = new Set(latest.map((r) => r.municipalityId));
  return { expected, latest, unanswered: expected.filter((m) => !answered.has(m.id)) };
}

/** The definitions of the given answers' versions, the one in force first. */
function definitionsOf(ctx: Ctx, rows: ChecklistSubmission[]): ChecklistDefinition[] {
  const reg = ctx.services.checklistDefinitions;
  const defs = [reg.current];
  for (const r of rows) {
    const d = reg.of(r.definitionVersion);
    if (!defs.includes(d)) defs.push(d);
  }
  return defs;
}

export function overviewReply(ctx: Ctx): Handled {
  const no = denied(ctx, 'checklist.overview');
  if (no) return no;
  const { municipalities, checklistDefinitions: reg } = ctx.services;
  const def = reg.current;
  const { expected, latest, unanswered } = collect(ctx);
  const name = (id: string): string => municipalities.get(id)?.name ?? id;
  const defOf = (r: ChecklistSubmission): ChecklistDefinition => reg.of(r.definitionVersion);
  const versions = new Map<string, number>();
  for (const r of latest) versions.set(r.definitionVersion, (versions.get(r.definitionVersion) ?? 0) + 1);
  const blocks: Block[] = [
    { type: 'header', text: CHECKLIST.overviewHeader },
    {
      type: 'fields',
      fields: [
        { label: CHECKLIST.answered, value: CHECKLIST.answeredOf(latest.length, expected.length || latest.length) },
        { label: CHECKLIST.unanswered, value: CHECKLIST.municipalityCount(unanswered.length) },
        { label: CHECKLIST.definitionInUse, value: def.version },
        ...(versions.size ? [{ label: CHECKLIST.definitionsAnswered, value: [...versions].map(([v, n]) => `${v}: ${n}`).join('、') }] : []),
      ],
    },
  ];
  if (def.stages.length) {
    blocks.push({ type: 'list', title: CHECKLIST.stage, items: def.stages.map((s) => `${s.label}: ${latest.filter((r) => stageOf(defOf(r), r.answers)?.id === s.id).length}`) });
  }
  for (const q of def.questions) {
    // answers under a version without this question were not asked it: counted apart, never as "not chosen"
    const notAsked = latest.filter((r) => !defOf(r).questions.some((x) => x.id === q.id)).length;
    const note = notAsked ? CHECKLIST.notAskedNote(notAsked) : '';
    const asked = latest.filter((r) => wasAsked(defOf(r), q.id, r.answers));
    if (q.kind === 'multiple' || q.kind === 'single') {
      const tally = q.options.map((o) => `${o.text}: ${asked.filter((r) => choiceOf(r.answers, q)?.options.includes(o.id)).length}`);
      const others = asked.filter((r) => choiceOf(r.answers, q)?.other).map((r) => CHECKLIST.overviewOther(name(r.municipalityId), choiceOf(r.answers, q)!.other));
      blocks.push({ type: 'list', title: CHECKLIST.overviewQuestion(q.label, q.title, q.kind === 'multiple', note), items: [...tally, ...others] });
    } else if (q.kind === 'text' || q.kind === 'number') {
      const items = asked.filter((r) => r.answers[q.id] !== undefined).map((r) => `${name(r.municipalityId)}: ${answerText(q, r.answers)}`);
      if (items.length || note) blocks.push({ type: 'list', title: `${q.label} ${q.title}${note}`, items: items.length ? items : [CHECKLIST.noAnswers] });
    } else if (note) {
      blocks.push({ type: 'text', text: `${q.label} ${q.title}${note}` });
    }
  }
  if (unanswered.length) blocks.push({ type: 'list', title: CHECKLIST.overviewUnanswered, items: [unanswered.map((m) => m.name).join('、')] });
  blocks.push({ type: 'actions', controls: [{ kind: 'button', action: 'checklist:groups', label: CHECKLIST.adminGroups }, { kind: 'button', action: 'checklist:export', label: CHECKLIST.adminExport }, { kind: 'button', action: 'analysis:gaps', label: CHECKLIST.adminGaps }] });
  return handled([{ blocks }]);
}

export function groupsReply(ctx: Ctx): Handled {
  const no = denied(ctx, 'checklist.overview');
  if (no) return no;
  const { kb, municipalities, checklistDefinitions: reg } = ctx.services;
  const { latest } = collect(ctx);
  const blocks: Block[] = [{ type: 'header', text: CHECKLIST.groupsHeader }];
  if (!reg.current.groups.length) blocks.push({ type: 'text', text: CHECKLIST.noGroups });
  for (const g of reg.current.groups) {
    const members = latest.filter((r) => groupOf(reg.of(r.definitionVersion), r.answers)?.id === g.id).map((r) => municipalities.get(r.municipalityId)?.name ?? r.municipalityId);
    blocks.push({ type: 'list', title: `${g.label}（${members.length}）`, items: [members.length ? members.join('、') : CHECKLIST.none, CHECKLIST.groupSupport(g.support), ...g.refs.map((r) => CHECKLIST.reference(refLabel(kb, r)))] });
  }
  return handled([{ blocks }]);
}

export function municipalityDetail(ctx: Ctx, municipalityId: string): Handled {
  const d = authorize(ctx.services, ctx.actor, 'checklist.view', { municipalityId });
  if (!d.ok) return handled([text(d.message, { ephemeral: true })]);
  const { checklists, municipalities, checklistDefinitions: reg } = ctx.services;
  const m = municipalities.get(municipalityId);
  const history = checklists.history(municipalityId);
  if (!history.length) return handled([text(CHECKLIST.detailNone(m?.name ?? municipalityId))]);
  const latest = history[0]!;
  const def = reg.of(latest.definitionVersion);
  const stageLabel = (h: ChecklistSubmission): string => stageOf(reg.of(h.definitionVersion), h.answers)?.label ?? CHECKLIST.noStage;
  const when = (ms: number): string => new Date(ms).toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo' });
  return handled([
    {
      blocks: [
        { type: 'header', text: CHECKLIST.detailHeader(m?.name ?? municipalityId, latest.version) },
        { type: 'fields', fields: [{ label: CHECKLIST.stage, value: stageLabel(latest) }, { label: CHECKLIST.submittedAt, value: when(latest.submittedAt) }, { label: CHECKLIST.definitionVersion, value: latest.definitionVersion }] },
        { type: 'fields', fields: answerLines(def, latest.answers) },
        { type: 'list', title: CHECKLIST.history, items: history.map((h) => CHECKLIST.historyLine(h.version, when(h.submittedAt), h.definitionVersion, stageLabel(h) === stageLabel(latest) ? null : stageLabel(h))) },
      ],
    },
  ]);
}

/** One row per municipality, one column per question and option (every version's), the latest answer with its definition version. */
export function checklistCsv(ctx: Ctx): Buffer {
  const { municipalities, checklistDefinitions: reg } = ctx.services;
  const { expected, latest } = collect(ctx);
  const byId = new Map(latest.map((r) => [r.municipalityId, r]));
  const ids = [...new Set([...expected.map((m) => m.id), ...latest.map((r) => r.municipalityId)])];
  const columns = answerColumns(definitionsOf(ctx, latest));
  const header = [CHECKLIST.csvMunicipality, CHECKLIST.csvStatus, CHECKLIST.csvVersion, CHECKLIST.definitionVersion, CHECKLIST.submittedAt, ...columns.map((c) => c.header), CHECKLIST.stage, CHECKLIST.csvGroup];
  const rows = ids.map((id) => {
    const r = byId.get(id);
    const name = municipalities.get(id)?.name ?? id;
    if (!r) return [name, CHECKLIST.unanswered, ...new Array<string>(header.length - 2).fill('')];
    const def = reg.of(r.definitionVersion);
    return [
      name, CHECKLIST.answered, String(r.version), r.definitionVersion, localDateTime(r.submittedAt, ctx.services.config.timeZone),
      ...columns.map((c) => c.cell(def, r.answers)),
      stageOf(def, r.answers)?.label ?? '', groupOf(def, r.answers)?.label ?? '',
    ];
  });
  // the shared writer: BOM (Excel in Japan opens UTF-8 correctly only with it), CRLF, formula cells neutralised
  return csvBuffer(header, rows);
}

export function exportReply(ctx: Ctx): Handled {
  const no = denied(ctx, 'checklist.export');
  if (no) return no;
  const data = checklistCsv(ctx);
  return handled([{ blocks: [{ type: 'text', text: CHECKLIST.exported }], file: { name: datedFileName('checklist', ctx.now, ctx.services.config.timeZone), mime: 'text/csv', data } }]);
}

export async function checklistAction(ctx: Ctx, action: string, value: string, values?: string[]): Promise<Handled> {
  switch (action) {
    case 'checklist:overview':
      return overviewReply(ctx);
    case 'checklist:groups':
      return groupsReply(ctx);
    case 'checklist:export':
      return exportReply(ctx);
    case 'checklist:detail':
      return municipalityDetail(ctx, values?.[0] ?? value);
    default:
      return handled([text(CHECKLIST.staleAction, { ephemeral: true })]);
  }
}
