/**
 * The core's public surface: everything a platform adapter (adapters/) may import. Adapters import
 * this module and nothing else of src/ (test/boundary.test.ts checks it), so the core can change
 * behind it without any adapter noticing.
 */
export type { Actor, Block, ButtonControl, Control, Effect, EngineResult, Form, FormField, InboundEvent, Platform, Reply, ReplyFile, SelectControl, SelectOption, Target, TextBar } from './engine/types.js';
export type { Adapter, Core } from './engine/adapter.js';
export { healthHttpStatus, StartupError, type ConnectionState, type Health } from './health.js';
export { STARTUP } from './messages/startup.js';
export { deliverResult, type ReplySink } from './engine/delivery.js';
export { COMMANDS, isCommandName, type CommandCatalog, type CommandName, type CompletionField } from './commands.js';
export { citationLabel, quoteJa, type Citation } from './knowledge/citation.js';
export { M } from './messages/core.js';
export { V } from './messages/visibility.js';
export { ADAPTERS } from './messages/adapters.js';
export { ConfigError, TERMINAL_DESK_CHANNEL, type Config } from './config.js';
export type { Logger } from './logger.js';

import type { Config } from './config.js';
/** Slack's settings (tokens, mode, API URL, port). */
export type SlackConfig = NonNullable<Config['slack']>;
/** Discord's settings (token, application, API URL, guild). */
export type DiscordConfig = NonNullable<Config['discord']>;
