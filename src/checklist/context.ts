/** What the municipal checklist needs from the bot. src/app.ts builds it once (createServices). */
import type { Config } from '../config.js';
import type { Ctx as EngineCtx } from '../engine/context.js';
import type { KnowledgeBase } from '../knowledge/load.js';
import type { MunicipalityStore } from '../store/municipalities.js';
import type { RoleStore } from '../store/roles.js';
import type { ChecklistDefinitions } from './definition/registry.js';
import type { ChecklistStore } from './repository.js';

export interface ChecklistServices {
  config: Config;
  kb: KnowledgeBase;
  roles: RoleStore;
  municipalities: MunicipalityStore;
  checklists: ChecklistStore;
  /** The checklist definition in force (`.current`) and every older version answers were given under. */
  checklistDefinitions: ChecklistDefinitions;
}

export type Ctx = EngineCtx<ChecklistServices>;
