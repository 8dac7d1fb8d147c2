/** What the guides (Q&A, step guide, case search) need from the bot: the knowledge base and its search. */
import type { Assistant } from '../answering/assistant.js';
import type { Ctx as EngineCtx } from '../engine/context.js';
import type { KnowledgeBase } from '../knowledge/load.js';

export interface GuideServices {
  kb: KnowledgeBase;
  assistant: Assistant;
}

export type Ctx = EngineCtx<GuideServices>;
