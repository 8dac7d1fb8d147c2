/** What the provider directory needs from the bot. src/app.ts builds it once (createServices). */
import type { Config } from '../config.js';
import type { Ctx as EngineCtx } from '../engine/context.js';
import type { KnowledgeBase } from '../knowledge/load.js';
import type { MunicipalityStore } from '../store/municipalities.js';
import type { RoleStore } from '../store/roles.js';
import type { ProviderStore } from './repository.js';

export interface ProviderServices {
  config: Config;
  kb: KnowledgeBase;
  roles: RoleStore;
  municipalities: MunicipalityStore;
  providers: ProviderStore;
}

export type Ctx = EngineCtx<ProviderServices>;
