/**
 * Renders neutral replies as terminal text: headings, wrapped Japanese paragraphs, lists,
 * citations under each answer, and numbered choices where other platforms show buttons and
 * selects.
 */
import { ADAPTERS, citationLabel, quoteJa, type Block, type Control, type Reply } from '../../src/core.js';
import { wrap } from './width.js';

/** A numbered choice the user can type: a button, or one option of a select. */
export interface Choice {
  n: number;
  control: Control;
  option?: string;
  /** What the line shows (the button's label, or the option's). */
  label: string;
  /** Not available on this screen (前へ on the first page): not printed, its number still reserved. */
  disabled?: boolean;
}

export interface Rendered {
  text: string;
  choices: Choice[];
}

/**
 * Numbers the reply's choices from `startAt`: a choice with a fixed slot (前へ／次へ, 👍／👎)
 * gets that slot's number on every screen, the others follow after the slots.
 */
export function renderReply(reply: Reply, width: number, startAt = 1): Rendered {
  const lines: string[] = [];
  const choices: Choice[] = [];
  const controls = reply.blocks.flatMap((b) => (b.type === 'actions' ? b.controls : []));
  const slots = Math.max(0, ...controls.map((c) => (c.kind === 'button' ? (c.slot ?? 0) : 0)));
  let next = startAt + slots;
  const numberOf = (c: Control): number => (c.kind === 'button' && c.slot ? startAt + c.slot - 1 : next++);
  const push = (s: string, indent = ''): void => {
    lines.push(wrap(s, width, indent));
  };
  // a list whose items are the options of a select further down (the Q&A index, a checklist
  // question's options) is where those options get their numbers: printing both would show the
  // same items twice, once as bullets and once numbered
  const optionKey = (label: string): string => label.replace(/^\d+[.．、]\s*/, '').normalize('NFKC').trim();
  const selects = controls.filter((c): c is Extract<Control, { kind: 'select' }> => c.kind === 'select');
  const numberedOption = new Map<string, number>();
  const optionOf = (item: string): { select: Extract<Control, { kind: 'select' }>; value: string; label: string } | undefined => {
    for (const c of selects) {
      const key = optionKey(item);
      // option labels may be cut to the platform's length: a long cut label matches the start of the item
      const o = c.options.find((x) => {
        const label = optionKey(x.label);
        return label === key || (x.description && optionKey(`${x.label}（${x.description}）`) === key) || (label.length >= 20 && key.startsWith(label));
      });
      if (o) return { select: c, value: o.value, label: o.label };
    }
    return undefined;
  };
  // sources [1] [2] and numbered choices [3] [4] must not read as one list
  let afterCitations = false;
  for (const b of reply.blocks as Block[]) {
    switch (b.type) {
      case 'header':
        lines.push('', `【${b.text}】`);
        break;
      case 'text':
        push(b.text);
        break;
      case 'quote':
        // a sentence quoted with its list keeps one quote, each line indented under it
        push(`  ${quoteJa(b.text)}`.replace(/\n/g, '\n   '), '   ');
        break;
      case 'context':
        push(`  ※ ${b.text}`, '    ');
        break;
      case 'divider':
        lines.push('―'.repeat(Math.min(20, Math.floor(width / 2))));
        break;
      case 'fields':
        for (const f of b.fields) push(`・${f.label}: ${f.value}`, '  ');
        break;
      case 'list': {
        if (b.title) lines.push(`■ ${b.title}`);
        const options = b.items.map(optionOf);
        const absorbed = options.length > 0 && options.every((o) => o && !numberedOption.has(`${o.value}\u0000${o.select.action}`));
        b.items.forEach((item, i) => {
          const o = options[i];
          if (!absorbed || !o) return push(`  ・${item}`, '    ');
          const n = numberOf(o.select);
          numberedOption.set(`${o.value}\u0000${o.select.action}`, n);
          choices.push({ n, control: o.select, option: o.value, label: o.label });
          push(`  [${n}] ${item.replace(/^\d+[.．、]\s*/, '')}`, '      ');
        });
        break;
      }
      case 'citations':
        if (b.citations.length) {
          afterCitations = true;
          lines.push(`${ADAPTERS.sources}:`);
          b.citations.forEach((c, i) => push(`  [${i + 1}] ${citationLabel(c)}`, '      '));
        }
        break;
      case 'actions':
        if (afterCitations && b.controls.length) {
          lines.push('', ADAPTERS.nextSteps);
          afterCitations = false;
        }
        for (const c of b.controls) {
          if (c.kind === 'button') {
            const n = numberOf(c);
            choices.push({ n, control: c, label: c.label, ...(c.disabled ? { disabled: true } : {}) });
            if (!c.disabled) push(`  [${n}] ${c.label}`);
          } else {
            const rest = c.options.filter((o) => !numberedOption.has(`${o.value}\u0000${c.action}`));
            // when every option was numbered in the list above, there is nothing more to print here
            if (rest.length) lines.push(ADAPTERS.choicePrompt(c.placeholder, c.multi));
            for (const o of rest) {
              const n = numberOf(c);
              choices.push({ n, control: c, option: o.value, label: o.label });
              push(`    [${n}] ${o.label}${o.description ? `（${o.description}）` : ''}`, '        ');
            }
          }
        }
        break;
    }
  }
  return { text: lines.join('\n').replace(/^\n+/, ''), choices };
}
