/** What answering needs from the bot. src/app.ts builds it once (createServices). */
import type { Assistant } from '../answering/assistant.js';
import type { Config } from '../config.js';
import type { Ctx as EngineCtx } from '../engine/context.js';
import type { AnswerStore } from '../store/answers.js';
import type { RoleStore } from '../store/roles.js';
import type { HandoffStore } from './handoff-repository.js';

export interface AnsweringServices {
  config: Config;
  assistant: Assistant;
  answers: AnswerStore;
  handoffs: HandoffStore;
  roles: RoleStore;
}

export type Ctx = EngineCtx<AnsweringServices>;
