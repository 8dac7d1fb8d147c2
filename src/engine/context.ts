/** What every handler gets: the actor, the time, and the services behind the engine. */
import type { Assistant } from '../answer/assistant.js';
import type { Config } from '../config.js';
import type { KnowledgeBase } from '../knowledge/load.js';
import type { Logger } from '../logger.js';
import type { AnswerStore } from '../store/answers.js';
import type { ChecklistStore } from '../checklist/repository.js';
import type { Db } from '../store/db.js';
import type { HandoffStore } from '../answering/handoff-repository.js';
import type { MunicipalityStore } from '../store/municipalities.js';
import type { ProviderStore } from '../providers/repository.js';
import type { RoleStore } from '../store/roles.js';
import type { FlowRuntime } from './flow.js';
import type { Actor, Effect, Reply } from './types.js';

export interface Services {
  config: Config;
  assistant: Assistant;
  kb: KnowledgeBase;
  db: Db;
  answers: AnswerStore;
  handoffs: HandoffStore;
  roles: RoleStore;
  municipalities: MunicipalityStore;
  checklists: ChecklistStore;
  providers: ProviderStore;
  logger: Logger;
}

export interface Ctx {
  actor: Actor;
  now: number;
  services: Services;
  runtime: FlowRuntime<Ctx>;
}

/** What a handler returns: replies to the actor and effects elsewhere. */
export interface Handled {
  replies: Reply[];
  effects: Effect[];
}

export const handled = (replies: Reply[], effects: Effect[] = []): Handled => ({ replies, effects });
