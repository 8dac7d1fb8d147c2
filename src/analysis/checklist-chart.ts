/**
 * 「/pf-checklist 集計」 with a picture: the overview's text (unchanged, and what screen readers
 * and the terminal read), then the chart of municipalities by stage of 図6, answered or not, and
 * the Q3 / Q4 tallies.
 */
import { overviewReply } from '../checklist/admin.js';
import { stageOf } from '../checklist/model.js';
import type { Handled } from '../engine/context.js';
import { checklistChart } from './charts.js';
import type { Ctx } from './context.js';
import { chartReply } from './image.js';
import { localDate } from '../csv/time.js';
import { ANALYSIS } from '../messages/analysis.js';

/** The checklist overview of admin.ts, then its chart (or a note if it could not be drawn). */
export async function overviewWithChart(ctx: Ctx): Promise<Handled> {
  const result = overviewReply(ctx);
  // refused (not an admin): the refusal alone
  if (result.replies.some((r) => r.ephemeral)) return result;
  const { kb, config, municipalities, checklists } = ctx.services;
  const expected = municipalities.all(Boolean(config.municipalitiesFile));
  const latest = checklists.allLatest();
  const answered = new Set(latest.map((r) => r.municipalityId));
  const tally = (q: 'q3' | 'q4'): { label: string; n: number }[] =>
    kb.checklist[q].options.map((o) => ({ label: `${q.toUpperCase()} ${o.text}`, n: latest.filter((r) => r.answers[q]?.options?.includes(o.id)).length }));
  const plan = checklistChart({
    expected: Math.max(expected.length, latest.length),
    stages: ctx.services.checklistDefinitions.current.stages.map((s) => ({ label: s.label, n: latest.filter((r) => stageOf(ctx.services.checklistDefinitions.of(r.definitionVersion), r.answers)?.id === s.id).length })),
    unanswered: expected.filter((m) => !answered.has(m.id)).length,
    q3: tally('q3'),
    q4: tally('q4'),
  });
  const date = localDate(ctx.now, ctx.services.config.timeZone);
  const image = await chartReply(ctx, plan, `checklist-${date}.png`, ANALYSIS.checklistChartAlt);
  return { replies: [...result.replies, image], effects: result.effects };
}
