/** What the prefecture's analysis (gap view, charts) needs from the bot. src/app.ts builds it once (createServices). */
import type { Assistant } from '../answering/assistant.js';
import type { ChecklistStore } from '../checklist/repository.js';
import type { ChecklistServices } from '../checklist/context.js';
import type { Config } from '../config.js';
import type { Ctx as EngineCtx } from '../engine/context.js';
import type { KnowledgeBase } from '../knowledge/load.js';
import type { Logger } from '../logger.js';
import type { ProviderStore } from '../providers/repository.js';
import type { MunicipalityStore } from '../store/municipalities.js';
import type { RoleStore } from '../store/roles.js';

export interface AnalysisServices {
  config: Config;
  kb: KnowledgeBase;
  /** The handbook's case search, for the drill-down from a gap. */
  assistant: Assistant;
  roles: RoleStore;
  municipalities: MunicipalityStore;
  checklists: ChecklistStore;
  /** The checklist definitions in use (the stages a chart counts). */
  checklistDefinitions: ChecklistServices['checklistDefinitions'];
  /** The provider directory: its counts by municipality and category (ProviderStore.coverage). */
  providers: ProviderStore;
  logger: Logger;
}

export type Ctx = EngineCtx<AnalysisServices>;
