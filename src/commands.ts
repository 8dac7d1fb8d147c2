/**
 * The bot's slash commands by name: fixed, because outside checks and the platforms' command
 * registrations rely on them. src/bot.ts gives each one its handler (the type makes a missing one a
 * compile error); the adapters parse platform commands against this list.
 */
import type { KnowledgeBase } from './knowledge/load.js';
import { MENU } from './messages/menu.js';

export const COMMANDS = ['pf', 'pf-faq', 'pf-step', 'pf-case', 'pf-checklist', 'pf-provider'] as const;
export type CommandName = (typeof COMMANDS)[number];

export const isCommandName = (name: string): name is CommandName => (COMMANDS as readonly string[]).includes(name);

/** The neutral ids of fields with autocomplete (Discord maps its option names to these). */
export const COMPLETION_FIELDS = ['municipality', 'category', 'case-filter'] as const;
export type CompletionField = (typeof COMPLETION_FIELDS)[number];

/** The purposes an uploaded file can have. */
export const FILE_PURPOSES = ['providers_import'] as const;
export type FilePurpose = (typeof FILE_PURPOSES)[number];

/** What a platform needs to register the commands: a description of each, and the Q&A to offer as choices. */
export interface CommandCatalog {
  descriptions: Record<CommandName, string>;
  faq: { number: number; question: string }[];
}

/** The catalog from the menu's texts and the knowledge base's Q&A. */
export function commandCatalog(kb: Pick<KnowledgeBase, 'faq'>): CommandCatalog {
  const items = MENU.items(kb.faq.length);
  const describe = (name: CommandName): string => items.find(([label]) => label.split(' ')[0] === `/${name}`)?.[1] ?? name;
  return {
    descriptions: Object.fromEntries(COMMANDS.map((name) => [name, describe(name)])) as Record<CommandName, string>,
    faq: kb.faq.map((f) => ({ number: f.number, question: f.question })),
  };
}
