/** What the municipal checklist needs from the bot. src/app.ts builds it once (createServices). */
import type { Config } from '../config.js';
import type { Ctx as EngineCtx } from '../engine/context.js';
import type { KnowledgeBase } from '../knowledge/load.js';
import type { MunicipalityStore } from '../store/municipalities.js';
import type { MembershipRequestStore } from '../store/membership-requests.js';
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

/** Who may answer for a municipality: requests to be its member, decided by an admin (membership.ts). */
export interface MembershipServices {
  membershipRequests: MembershipRequestStore;
  /** Runs several writes as one transaction (approving a request grants the role with it). */
  transaction<T>(fn: () => T): T;
}

/** The checklist's flow and commands: its data and its membership requests. */
export type Ctx = EngineCtx<ChecklistServices & MembershipServices>;

/** The admin views of answers (admin.ts), also used by the analysis: the data only. */
export type ViewCtx = EngineCtx<ChecklistServices>;
