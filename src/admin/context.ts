/** What the admin commands (roles, usage figures) need from the bot. */
import type { Config } from '../config.js';
import type { Ctx as EngineCtx } from '../engine/context.js';
import type { MunicipalityStore } from '../store/municipalities.js';
import type { RoleStore } from '../store/roles.js';
import type { StatsRepository } from '../store/stats.js';

export interface AdminServices {
  config: Config;
  roles: RoleStore;
  municipalities: MunicipalityStore;
  stats: StatsRepository;
}

export type Ctx = EngineCtx<AdminServices>;
