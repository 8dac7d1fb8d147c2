/**
 * The prefecture's view of the checklist (admins only): who answered and who has not, the count
 * per Q1 stage, tallies for every Q3 and Q4 option, the Q2 texts, the grouping of the handbook's
 * Q4 with the support it suggests, a drill-down to one municipality with its history, and a CSV
 * export that opens correctly in Japanese Excel.
 */
import { groupOf, stageOf, type ChecklistAnswers } from './model.js';
import { csvBuffer } from '../csv/writer.js';
import { datedFileName, localDateTime } from '../csv/time.js';
import { authorize } from '../engine/auth.js';
import { handled, type Handled } from '../engine/context.js';
import type { Ctx } from './context.js';
import type { Block, Reply } from '../engine/types.js';
import { text } from '../engine/types.js';
import type { ChecklistSubmission } from './repository.js';
import type { Municipality } from '../store/municipalities.js';
import { answerLines, optionText, refLabel } from './summary.js';

function denied(ctx: Ctx, action: 'checklist.overview' | 'checklist.export', municipalityId?: string): Handled | null {
  const d = authorize(ctx.services, ctx.actor, action, municipalityId ? { municipalityId } : {});
  return d.ok ? null : handled([text(d.message, { ephemeral: true })]);
}

export function adminMenu(ctx: Ctx): Reply {
  const answered = ctx.services.checklists.allLatest();
  const names = new Map(ctx.services.municipalities.all().map((m) => [m.id, m.name]));
  return {
    blocks: [
      { type: 'header', text: '市町村チェックリスト（管理者メニュー）' },
      { type: 'text', text: `回答済み ${answered.length} 市町村。集計・グループ・CSV 出力・市町村別の詳細を選べます。` },
      {
        type: 'actions',
        controls: [
          { kind: 'button', action: 'checklist:overview', label: '集計を見る', style: 'primary' },
          { kind: 'button', action: 'checklist:groups', label: 'グループ別（手引き Q4）' },
          { kind: 'button', action: 'checklist:export', label: 'CSV で出力' },
          { kind: 'button', action: 'analysis:gaps', label: '困りごとと事業者の空白' },
        ],
      },
      ...(answered.length
        ? [{ type: 'actions' as const, controls: [{ kind: 'select' as const, action: 'checklist:detail', placeholder: '市町村を選んで詳細を見る', options: answered.slice(0, 100).map((r) => ({ label: names.get(r.municipalityId) ?? r.municipalityId, value: r.municipalityId })) }] }]
        : []),
      { type: 'context', text: '自分で回答（代理回答）する場合は「/pf-checklist 回答 行田市」のように入力してください。' },
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

export function overviewReply(ctx: Ctx): Handled {
  const no = denied(ctx, 'checklist.overview');
  if (no) return no;
  const { kb, municipalities } = ctx.services;
  const t = kb.checklist;
  const { expected, latest, unanswered } = collect(ctx);
  const name = (id: string): string => municipalities.get(id)?.name ?? id;
  const stageCount = t.stages.map((s) => ({ label: s.label, n: latest.filter((r) => stageOf(r.answers.q1) === s.id).length }));
  const tally = (q: 'q3' | 'q4'): string[] => t[q].options.map((o) => `${o.text}: ${latest.filter((r) => r.answers[q].options.includes(o.id)).length}`);
  const q2 = latest.filter((r) => r.answers.q2).map((r) => `${name(r.municipalityId)}: ${r.answers.q2}`);
  const others = (q: 'q3' | 'q4'): string[] => latest.filter((r) => r.answers[q].other).map((r) => `${name(r.municipalityId)}: ${r.answers[q].other}`);
  const blocks: Block[] = [
    { type: 'header', text: 'チェックリストの集計（最新版）' },
    { type: 'fields', fields: [{ label: '回答済み', value: `${latest.length} / ${expected.length || latest.length} 市町村` }, { label: '未回答', value: `${unanswered.length} 市町村` }] },
    { type: 'list', title: 'Q1 の段階', items: stageCount.map((s) => `${s.label}: ${s.n}`) },
    { type: 'list', title: 'Q3 困っていること（複数回答）', items: [...tally('q3'), ...others('q3').map((o) => `（その他）${o}`)] },
    { type: 'list', title: 'Q4 受けてみたい支援（複数回答）', items: [...tally('q4'), ...others('q4').map((o) => `（その他）${o}`)] },
  ];
  if (q2.length) blocks.push({ type: 'list', title: 'Q2 自由回答', items: q2 });
  if (unanswered.length) blocks.push({ type: 'list', title: '未回答の市町村', items: [unanswered.map((m) => m.name).join('、')] });
  blocks.push({ type: 'actions', controls: [{ kind: 'button', action: 'checklist:groups', label: 'グループ別（手引き Q4）' }, { kind: 'button', action: 'checklist:export', label: 'CSV で出力' }, { kind: 'button', action: 'analysis:gaps', label: '困りごとと事業者の空白' }] });
  return handled([{ blocks }]);
}

export function groupsReply(ctx: Ctx): Handled {
  const no = denied(ctx, 'checklist.overview');
  if (no) return no;
  const { kb, municipalities } = ctx.services;
  const { latest } = collect(ctx);
  const blocks: Block[] = [{ type: 'header', text: '市町村のグループ（手引き Q4「支援する市町村の選び方」P.31）' }];
  for (const g of kb.checklist.groups) {
    const members = latest.filter((r) => groupOf(r.answers) === g.id).map((r) => municipalities.get(r.municipalityId)?.name ?? r.municipalityId);
    blocks.push({ type: 'list', title: `${g.label}（${members.length}）`, items: [members.length ? members.join('、') : '該当なし', `手引きが示す支援の例: 「${g.support}」`, ...g.refs.map((r) => `参考: ${refLabel(kb, r)}`)] });
  }
  return handled([{ blocks }]);
}

export function municipalityDetail(ctx: Ctx, municipalityId: string): Handled {
  const d = authorize(ctx.services, ctx.actor, 'checklist.view', { municipalityId });
  if (!d.ok) return handled([text(d.message, { ephemeral: true })]);
  const { kb, checklists, municipalities } = ctx.services;
  const m = municipalities.get(municipalityId);
  const history = checklists.history(municipalityId);
  if (!history.length) return handled([text(`${m?.name ?? municipalityId} はまだチェックリストに回答していません。`)]);
  const latest = history[0]!;
  const stage = kb.checklist.stages.find((s) => s.id === stageOf(latest.answers.q1))!;
  const when = (ms: number): string => new Date(ms).toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo' });
  return handled([
    {
      blocks: [
        { type: 'header', text: `${m?.name ?? municipalityId} のチェックリスト（第${latest.version}版）` },
        { type: 'fields', fields: [{ label: '段階', value: stage.label }, { label: '回答日時', value: when(latest.submittedAt) }] },
        { type: 'fields', fields: answerLines(kb, latest.answers) },
        { type: 'list', title: '回答の履歴', items: history.map((h) => `第${h.version}版 ${when(h.submittedAt)}（${stageOf(h.answers.q1) === stageOf(latest.answers.q1) ? '段階は同じ' : `段階: ${kb.checklist.stages.find((s) => s.id === stageOf(h.answers.q1))!.label}`}）`) },
      ],
    },
  ]);
}

/** One row per municipality, one column per question and option, the latest version. */
export function checklistCsv(ctx: Ctx): Buffer {
  const { kb, municipalities } = ctx.services;
  const t = kb.checklist;
  const { expected, latest } = collect(ctx);
  const byId = new Map(latest.map((r) => [r.municipalityId, r]));
  const ids = [...new Set([...expected.map((m) => m.id), ...latest.map((r) => r.municipalityId)])];
  const yn = (v?: string): string => (v === 'yes' ? 'はい' : v === 'no' ? 'いいえ' : '');
  const header = [
    '市町村', '回答状況', '版', '回答日時', 'Q1-1 課題を把握できている', 'Q1-2 解決する仕組みがある', 'Q1-3 具体策を進めている', '段階', 'Q2 自由回答',
    ...t.q3.options.map((o) => `Q3 ${o.text}`), 'Q3 その他の内容',
    ...t.q4.options.map((o) => `Q4 ${o.text}`), 'Q4 その他の内容', 'グループ（手引き Q4）',
  ];
  const rows = ids.map((id) => {
    const r = byId.get(id);
    const name = municipalities.get(id)?.name ?? id;
    if (!r) return [name, '未回答', ...new Array<string>(header.length - 2).fill('')];
    const a: ChecklistAnswers = r.answers;
    return [
      name, '回答済み', String(r.version), localDateTime(r.submittedAt, ctx.services.config.timeZone),
      yn(a.q1.q1a), yn(a.q1.q1b), yn(a.q1.q1c), t.stages.find((s) => s.id === stageOf(a.q1))!.label, a.q2 ?? '',
      ...t.q3.options.map((o) => (a.q3.options.includes(o.id) ? '○' : '')), a.q3.other ?? '',
      ...t.q4.options.map((o) => (a.q4.options.includes(o.id) ? '○' : '')), a.q4.other ?? '',
      t.groups.find((g) => g.id === groupOf(a))!.label,
    ];
  });
  // the shared writer: BOM (Excel in Japan opens UTF-8 correctly only with it), CRLF, formula cells neutralised
  return csvBuffer(header, rows);
}

export function exportReply(ctx: Ctx): Handled {
  const no = denied(ctx, 'checklist.export');
  if (no) return no;
  const data = checklistCsv(ctx);
  return handled([{ blocks: [{ type: 'text', text: 'チェックリストの回答（各市町村の最新版）を CSV で出力しました。Excel でそのまま開けます。' }], file: { name: datedFileName('checklist', ctx.now, ctx.services.config.timeZone), mime: 'text/csv', data } }]);
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
      return handled([text('この操作はもう使えません。/pf-checklist からやり直してください。', { ephemeral: true })]);
  }
}
