/**
 * What the index sees of a passage besides its text: its headings and the structured records
 * that point at its section (a case's place and actors, a Q&A's worry, a function's name).
 * This lets 「ツドレバ」 or 「くんねっぷ（訓子府）」 find a passage whose own text never names them.
 */
import type { KnowledgeBase } from '../knowledge/load.js';

export interface PassageMeta {
  /** Extra words indexed with the passage (not shown to users). */
  keywords: string[];
  /** Structured records the passage belongs to. */
  faqId?: string;
  caseIds: string[];
  functionId?: string;
  stepId?: string;
}

export function buildPassageMeta(kb: KnowledgeBase): Map<string, PassageMeta> {
  const metas = new Map<string, PassageMeta>();
  for (const p of kb.passages) {
    const meta: PassageMeta = { keywords: [...p.titlePath], caseIds: [] };
    const sameDoc = (source: string): boolean => source === p.source;
    const faq = p.docId === 'handbook' ? kb.faq.find((f) => f.sectionId === p.sectionId) : undefined;
    if (faq) {
      meta.faqId = faq.id;
      meta.keywords.push(faq.question, faq.viewpointTitle, ...(faq.worry ? [faq.worry] : []));
    }
    for (const c of kb.cases) {
      if (!sameDoc(c.source) || c.sectionId !== p.sectionId) continue;
      meta.caseIds.push(c.id);
      meta.keywords.push(c.title, c.place, ...(c.prefecture ? [c.prefecture] : []), ...(c.municipality ? [c.municipality] : []), ...c.actors);
    }
    const fn = p.docId === 'handbook' ? kb.functions.find((f) => p.sectionId === f.sectionId || p.sectionId === `${f.sectionId}-cases`) : undefined;
    if (fn) {
      meta.functionId = fn.id;
      meta.keywords.push(fn.name, fn.shortName);
    }
    const step = p.docId === 'handbook' ? kb.steps.find((s) => s.sectionId === p.sectionId || s.subSteps.some((x) => x.sectionId === p.sectionId) || p.sectionId === `${s.sectionId}-fig`) : undefined;
    if (step) {
      meta.stepId = step.id;
      meta.keywords.push(`ステップ${step.number}`, step.title);
    }
    metas.set(p.id, meta);
  }
  return metas;
}
