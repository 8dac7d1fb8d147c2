/**
 * The prefecture's matching view (handbook Step 2): for every municipality, the needs its
 * checklist reports set against the approved providers that serve it, category by category.
 * A gap is a reported need that no provider serves. Pure: the caller reads the checklist store
 * and the provider counts (src/providers/coverage.ts) and hands them in.
 */
import type { ChecklistAnswers } from '../checklist/model.js';
import type { Taxonomy } from '../knowledge/schema.js';
import { served, type Coverage } from '../providers/coverage.js';
import { needsOf, type NeedMatcher, type ReportedNeed } from './needs.js';
import { ANALYSIS } from '../messages/analysis.js';

export interface GapInput {
  taxonomy: Taxonomy;
  matcher: NeedMatcher;
  /** The prefecture's municipalities, in list order (those that have not answered too). */
  municipalities: { id: string; name: string }[];
  /** The latest checklist of each municipality that answered. */
  submissions: { municipalityId: string; answers: ChecklistAnswers }[];
  coverage: Coverage;
}

/** One municipality × category cell. */
export interface GapCell {
  categoryId: string;
  /** Approved providers serving it (its own and the prefecture-wide ones). */
  providers: number;
  /** The reported need in this category, if any. */
  need?: ReportedNeed;
}

export interface GapRow {
  municipalityId: string;
  name: string;
  answered: boolean;
  /** Q3: does not know the providers / has no contact with them. */
  noContact: boolean;
  /** Q4: wants the provider list shared. */
  wantsProviders: boolean;
  cells: GapCell[];
}

/** A reported need with the providers that serve it. */
export interface NeedCoverage {
  municipalityId: string;
  municipality: string;
  categoryId: string;
  category: string;
  providers: number;
  need: ReportedNeed;
  /** 0–2: how strongly the municipality asked for providers (Q3 no contact, Q4 provider list). */
  urgency: number;
}

export interface GapView {
  categories: { id: string; name: string }[];
  rows: GapRow[];
  /** Every reported need, fewest providers first, then the most urgent. */
  needs: NeedCoverage[];
  /** The needs no provider serves (providers = 0), in the same order. */
  gaps: NeedCoverage[];
  /** Approved prefecture-wide providers by category (counted in every cell). */
  wide: Map<string, number>;
  answered: number;
}

/** Joins the reported needs with the provider counts, municipality by municipality. */
export function computeGaps(input: GapInput): GapView {
  const categories = input.taxonomy.categories.map((c) => ({ id: c.id, name: c.name }));
  const byId = new Map(input.submissions.map((s) => [s.municipalityId, s.answers]));
  // municipalities that answered but are not (or no longer) in the list still count
  const list = [...input.municipalities, ...input.submissions.filter((s) => !input.municipalities.some((m) => m.id === s.municipalityId)).map((s) => ({ id: s.municipalityId, name: s.municipalityId }))];
  const rows: GapRow[] = [];
  const needs: NeedCoverage[] = [];
  for (const m of list) {
    const answers = byId.get(m.id);
    const reported = answers ? needsOf(input.matcher, answers) : { needs: [], noContact: false, wantsProviders: false };
    const cells = categories.map((c) => {
      const need = reported.needs.find((n) => n.categoryId === c.id);
      return { categoryId: c.id, providers: served(input.coverage, m.name, c.id), ...(need ? { need } : {}) };
    });
    rows.push({ municipalityId: m.id, name: m.name, answered: Boolean(answers), noContact: reported.noContact, wantsProviders: reported.wantsProviders, cells });
    const urgency = Number(reported.noContact) + Number(reported.wantsProviders);
    for (const cell of cells) {
      if (!cell.need) continue;
      needs.push({ municipalityId: m.id, municipality: m.name, categoryId: cell.categoryId, category: categories.find((c) => c.id === cell.categoryId)!.name, providers: cell.providers, need: cell.need, urgency });
    }
  }
  const order = new Map(list.map((m, i) => [m.id, i]));
  needs.sort((a, b) => a.providers - b.providers || b.urgency - a.urgency || order.get(a.municipalityId)! - order.get(b.municipalityId)!);
  return { categories, rows, needs, gaps: needs.filter((n) => n.providers === 0), wide: input.coverage.wide, answered: byId.size };
}

/** 「行田市: 買物の困りごと（Q2「買い物」）→ 買物カテゴリの事業者 0 件」 */
export function needLine(n: NeedCoverage): string {
  return ANALYSIS.gapLine(n.municipality, n.category, n.need.source.toUpperCase(), n.need.word, n.providers);
}
