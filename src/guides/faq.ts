/** /pf-faq: the 13 Q&A grouped by the three viewpoints; one Q&A in full with its pages. */
import { citationOf } from '../knowledge/citation.js';
import { handled, type Handled } from '../engine/context.js';
import type { Ctx } from './context.js';
import type { Block, Control, Reply } from '../engine/types.js';
import { pageNav } from '../engine/choices.js';
import { text } from '../engine/types.js';
import type { Faq } from '../knowledge/schema.js';
import { GUIDES } from '../messages/guides.js';

export function faqListReply(ctx: Ctx): Reply {
  const { faq } = ctx.services.kb;
  const blocks: Block[] = [{ type: 'header', text: GUIDES.faqListHeader(faq.length) }, { type: 'context', text: GUIDES.faqListNote }];
  for (const v of [1, 2, 3]) {
    const items = faq.filter((f) => f.viewpoint === v);
    blocks.push({ type: 'list', title: GUIDES.faqViewpoint('①②③'[v - 1], items[0]?.viewpointTitle ?? ''), items: items.map((f) => `Q${f.number} ${f.question}（P.${f.page}）`) });
  }
  blocks.push({
    type: 'actions',
    controls: [{ kind: 'select', action: 'faq:open', placeholder: GUIDES.faqSelect, options: faq.map((f) => ({ label: `Q${f.number} ${f.question}`.slice(0, 75), value: String(f.number), description: `P.${f.page}` })) }],
  });
  return { blocks };
}

export function faqDetailReply(ctx: Ctx, f: Faq): Reply {
  const { kb } = ctx.services;
  const passages = kb.passages.filter((p) => p.docId === 'handbook' && p.sectionId === f.sectionId);
  const blocks: Block[] = [
    { type: 'header', text: `Q${f.number} ${f.question}` },
    { type: 'context', text: GUIDES.faqDetailContext('①②③'[f.viewpoint - 1], f.viewpointTitle, f.page) },
  ];
  if (f.worry) blocks.push({ type: 'fields', fields: [{ label: GUIDES.faqWorry, value: f.worry }] });
  blocks.push({ type: 'list', title: GUIDES.faqKeyPoints, items: f.keyPoints });
  if (f.solutions.length) blocks.push({ type: 'list', title: GUIDES.faqSolutions, items: f.solutions });
  if (f.details.length) blocks.push({ type: 'list', title: GUIDES.faqDetails, items: f.details.map((d) => `${d.title}（P.${d.page}）`) });
  if (f.references.length) blocks.push({ type: 'list', title: GUIDES.faqReferences, items: f.references.map((r) => (r.url ? `${r.title} ${r.url}` : r.title)) });
  blocks.push({ type: 'citations', citations: passages.slice(0, 3).map((p) => citationOf(kb, p)) });
  // the previous and next Q&A at the fixed places of 前へ／次へ (Q1 has no previous one: shown disabled)
  const at = f.number - 1;
  const controls: Control[] = pageNav('faq:open', at, kb.faq.length, { previous: f.number > 1 ? `← Q${f.number - 1}` : GUIDES.previous, next: f.number < kb.faq.length ? `Q${f.number + 1} →` : GUIDES.next }, (i) => String(i + 1));
  controls.push({ kind: 'button', action: 'cmd', value: 'pf-faq', label: GUIDES.backToList });
  blocks.push({ type: 'actions', controls });
  return { blocks };
}

/** /pf-faq [番号|キーワード] */
export function faqCommand(ctx: Ctx, args: string): Handled {
  const a = args.normalize('NFKC').trim();
  if (!a) return handled([faqListReply(ctx)]);
  const m = /^q?\s*(\d{1,2})$/i.exec(a);
  if (m) {
    const f = ctx.services.kb.faq.find((x) => x.number === Number(m[1]));
    if (f) return handled([faqDetailReply(ctx, f)]);
    return handled([text(GUIDES.faqNoSuch(m[1], ctx.services.kb.faq.length)), faqListReply(ctx)]);
  }
  // a keyword: the Q&A whose question, worry or answers mention it
  const matches = ctx.services.kb.faq.filter((f) => [f.question, f.worry ?? '', ...f.keyPoints, ...f.solutions].join('\n').includes(a));
  if (matches.length === 1) return handled([faqDetailReply(ctx, matches[0]!)]);
  if (matches.length > 1) {
    return handled([
      {
        blocks: [
          { type: 'text', text: GUIDES.faqMatches(a, matches.length) },
          { type: 'list', items: matches.map((f) => `Q${f.number} ${f.question}（P.${f.page}）`) },
          { type: 'actions', controls: matches.slice(0, 5).map((f) => ({ kind: 'button' as const, action: 'faq:open', value: String(f.number), label: `Q${f.number}` })) },
        ],
      },
    ]);
  }
  return handled([text(GUIDES.faqNoMatch(a)), faqListReply(ctx)]);
}

export function openFaq(ctx: Ctx, value: string): Handled {
  const f = ctx.services.kb.faq.find((x) => x.number === Number(value));
  return f ? handled([faqDetailReply(ctx, f)]) : handled([faqListReply(ctx)]);
}
