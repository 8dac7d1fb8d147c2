/**
 * The services behind the bot's handlers, built once: the repositories over the database, the
 * municipality list synchronised from its file, and the shipped providers seeded. Every entry
 * point that needs them (the bot, the provider CLI, the tests) builds them here.
 */
import type { Assistant } from './answering/assistant.js';
import type { Config } from './config.js';
import type { KnowledgeBase } from './knowledge/load.js';
import type { Logger } from './logger.js';
import type { AdminServices } from './admin/context.js';
import type { AnalysisServices } from './analysis/context.js';
import type { AnsweringServices } from './answering/context.js';
import { HandoffStore } from './answering/handoff-repository.js';
import type { ChecklistServices, MembershipServices } from './checklist/context.js';
import { loadChecklistDefinition, templateDefinition } from './checklist/definition/load.js';
import { ChecklistDefinitions } from './checklist/definition/registry.js';
import { ChecklistStore } from './checklist/repository.js';
import type { GuideServices } from './guides/context.js';
import type { ProviderServices } from './providers/context.js';
import { ProviderStore } from './providers/repository.js';
import { seedProviders } from './providers/seed.js';
import { AnswerStore } from './store/answers.js';
import type { Db } from './store/db.js';
import { MunicipalityStore, readMunicipalityList } from './store/municipalities.js';
import { MembershipRequestStore } from './store/membership-requests.js';
import { RoleStore } from './store/roles.js';
import { StatsRepository } from './store/stats.js';

/** Every service a handler can ask for: the union of what each domain declares in its context.ts. */
export type Services = AnsweringServices & GuideServices & ChecklistServices & MembershipServices & ProviderServices & AdminServices & AnalysisServices & { logger: Logger };

/** The repositories that hold the prefecture's data, ready to use (municipalities synchronised, providers seeded). */
export function createRepositories(config: Config, kb: KnowledgeBase, db: Db): Pick<Services, 'answers' | 'handoffs' | 'roles' | 'municipalities' | 'checklists' | 'checklistDefinitions' | 'providers' | 'stats' | 'membershipRequests' | 'transaction'> {
  const municipalities = new MunicipalityStore(db);
  if (config.municipalitiesFile) municipalities.syncList(readMunicipalityList(config.municipalitiesFile));
  const providers = new ProviderStore(db);
  // an import cut short by the end of its process is undone (or, if it had committed, finished) before anything reads the directory
  providers.recoverImports();
  seedProviders(providers, kb.taxonomy);
  // the built-in template is always known (answers stored before definitions existed were given under it)
  const checklistDefinitions = new ChecklistDefinitions(db, loadChecklistDefinition(config.checklistFile, kb));
  checklistDefinitions.register(templateDefinition(kb.checklist), Date.now(), true);
  if (config.checklistFile) checklistDefinitions.register(checklistDefinitions.current, Date.now());
  return {
    answers: new AnswerStore(db),
    handoffs: new HandoffStore(db),
    roles: new RoleStore(db, config.adminUserIds),
    municipalities,
    checklists: new ChecklistStore(db),
    checklistDefinitions,
    providers,
    stats: new StatsRepository(db),
    membershipRequests: new MembershipRequestStore(db),
    transaction: <T>(fn: () => T): T => db.transaction(fn).immediate(),
  };
}

export function createServices(config: Config, assistant: Assistant, db: Db, logger: Logger): Services {
  const kb = assistant.index.kb;
  return { config, assistant, kb, logger, ...createRepositories(config, kb, db) };
}
