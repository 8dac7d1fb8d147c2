/** /pf without arguments, greetings and unknown commands: what the bot can do. */
import type { Block, Reply } from './engine/types.js';
import type { KnowledgeBase } from './knowledge/load.js';
import { MENU } from './messages/menu.js';

/** The menu; `prefix` replaces the greeting (a line saying why the menu is shown). */
export function menuReply(kb: Pick<KnowledgeBase, 'faq'>, prefix?: string): Reply {
  const blocks: Block[] = [];
  if (prefix) blocks.push({ type: 'text', text: prefix });
  else blocks.push({ type: 'header', text: MENU.header }, { type: 'text', text: MENU.greeting.join('\n') });
  blocks.push(
    { type: 'fields', fields: MENU.items(kb.faq.length).map(([label, value]) => ({ label, value })) },
    {
      type: 'actions',
      controls: [
        { kind: 'button', action: 'cmd', value: 'pf-faq', label: MENU.buttonFaq },
        { kind: 'button', action: 'cmd', value: 'pf-step', label: MENU.buttonStep },
        { kind: 'button', action: 'cmd', value: 'pf-case', label: MENU.buttonCase },
        { kind: 'button', action: 'cmd', value: 'pf-checklist', label: MENU.buttonChecklist },
        { kind: 'button', action: 'cmd', value: 'pf-provider', label: MENU.buttonProvider },
      ],
    },
    { type: 'context', text: MENU.source },
  );
  return { blocks };
}
