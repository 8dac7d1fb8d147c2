/**
 * The shape of a routing table: what src/bot.ts fills in, by id, and the engine dispatches
 * without knowing any feature. Dispatch order is fixed (see Engine): commands by name; actions and
 * forms by exact id, then by namespace (the part before the first ':'), then to the active flow;
 * files by purpose; free text to the active flow, else by intent.
 */
import type { FlowDefinition } from './flow-definition.js';
import { handled, type Ctx, type Handled } from './context.js';
import { M } from '../messages/core.js';
import type { Reply } from './types.js';

/** A slash command (「/pf-faq 6」): its handler, and whether answering it may take a while. */
export interface CommandRoute<C> {
  run(ctx: C, args: string): Promise<Handled> | Handled;
  /** True when the adapter should show progress at once (a question goes to retrieval and maybe a model). */
  slow?(args: string): boolean;
}

/** A button or select: its value, and every value of a multi-select. */
export type ActionRoute<C> = (ctx: C, value: string, values?: string[]) => Promise<Handled> | Handled;

/** A submitted form (modal): its id, its opaque state and its fields. */
export type FormRoute<C> = (ctx: C, formId: string, state: string | undefined, fields: Record<string, string>) => Promise<Handled> | Handled;

/** An uploaded file: what it is for, how a message asks for it, and who handles it. */
export interface FileRoute<C> {
  /**
   * `outside` runs slow work (reading and checking a large file) without holding the engine's
   * turn, so other users keep being answered; what the route writes it writes in the turn.
   */
  run(ctx: C, fileName: string, data: Buffer, args: string, outside?: <T>(io: () => Promise<T>) => Promise<T>): Promise<Handled> | Handled;
  /** Whether a message carrying a file asks for this (「インポート」 with a CSV attached). */
  asks(text: string): boolean;
  /** The command whose file option uploads for this purpose (Discord's 「/pf-provider ファイル:」). */
  command?: string;
  /** A command line that names a local file for this (the terminal: 「/pf-provider インポート 取込.csv」). */
  localFile?(command: string, args: string): { path: string; args?: string } | null;
  /** Whether this actor may upload for it: asked before any byte is downloaded (check before fetch). */
  allowed?(ctx: C): boolean;
}

/** Free text that is no command and no flow input: handled by the intent it expresses. */
export type MessageRoute<C> = (ctx: C, text: string) => Promise<Handled> | Handled;

/** Candidates for what a user is typing into a field (Discord's autocomplete). */
export type CompletionRoute<S> = (services: S, typed: string) => string[];

export interface Routes<C, S> {
  /** Slash commands by name. */
  commands: Record<string, CommandRoute<C>>;
  /** A command typed as text (the terminal, or a DM): 「/pf-faq 6」. */
  typedCommand: RegExp;
  /** Buttons and selects by action id. */
  actions: Record<string, ActionRoute<C>>;
  /** Actions of a namespace (`checklist:…`) with no exact route: stale or unknown ids of that feature. */
  actionNamespaces: Record<string, (ctx: C, action: string, value: string, values?: string[]) => Promise<Handled> | Handled>;
  /** Forms by id. */
  forms: Record<string, FormRoute<C>>;
  /** Forms of a namespace with no exact route. */
  formNamespaces: Record<string, FormRoute<C>>;
  /** Uploaded files by purpose. */
  files: Record<string, FileRoute<C>>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  flows: FlowDefinition<any, C>[];
  /** What a free-text message asks for, and who answers each intent; `fallback` answers the rest. */
  intents: { detect(ctx: C, text: string): string; routes: Record<string, MessageRoute<C>>; fallback: MessageRoute<C> };
  /** The menu: after an unknown command or an empty message (with a line on top), and as a greeting. */
  help(services: S, prefix?: string): Reply;
  /** Autocomplete candidates by field id. */
  completions: Record<string, CompletionRoute<S>>;
}

/** The namespace of an action or form id: the part before the first ':' (`checklist:export` → `checklist`). */
export const namespaceOf = (id: string): string => id.split(':')[0] ?? '';

/** Checks a routing table once, at start: every flow id once, no action id in the flows' space. */
export function checkRoutes<C, S>(routes: Routes<C, S>): void {
  const ids = new Set<string>();
  for (const flow of routes.flows) {
    if (ids.has(flow.id)) throw new Error(`flow "${flow.id}" is registered twice`);
    ids.add(flow.id);
  }
  for (const id of [...Object.keys(routes.actions), ...Object.keys(routes.forms)]) {
    if (id.startsWith('flow:')) throw new Error(`"${id}": ids starting with flow: belong to the flows`);
  }
  for (const [name, intent] of Object.entries(routes.intents.routes)) {
    if (typeof intent !== 'function') throw new Error(`intent "${name}" has no handler`);
  }
}

/** Runs "/name args" typed as text or given as a button value ("pf-faq 6"). */
export async function runCommandLine<S>(routes: Routes<Ctx<S>, S>, ctx: Ctx<S>, line: string): Promise<Handled> {
  const m = /^\/?(\S+)\s*([\s\S]*)$/.exec(line.trim());
  return runCommand(routes, ctx, m?.[1] ?? '', m?.[2]?.trim() ?? '');
}

/** Runs a command by name; an unknown name gets the menu with a line saying so. */
export async function runCommand<S>(routes: Routes<Ctx<S>, S>, ctx: Ctx<S>, name: string, args: string): Promise<Handled> {
  const route = Object.hasOwn(routes.commands, name) ? routes.commands[name] : undefined;
  if (!route) return handled([routes.help(ctx.services, M.unknownCommand(`/${name}`))]);
  return route.run(ctx, args);
}
