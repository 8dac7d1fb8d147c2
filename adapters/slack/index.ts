/**
 * The Slack adapter (@slack/bolt): the receiver (receiver.ts: Socket Mode or HTTP), the listeners
 * (listeners.ts: parse → core → render, one named function per kind of delivery), and the Block Kit
 * renderer (render.ts). It holds no business rule; what it sends comes from the core.
 *
 * Start-up (issue 17): the bot token is verified with auth.test (startup.ts) before the bot says it
 * is connected; Bolt is given the verified identity through `authorize`, so it never serves with a
 * token Slack refused. /health shows `slack.auth` (and `slack.socket` in Socket Mode).
 */
import { App as BoltApp, SocketModeReceiver, webApi } from '@slack/bolt';
import type { Server } from 'node:http';
import { STARTUP, StartupError, type Adapter, type Core, type Effect, type SlackConfig } from '../../src/core.js';
import { handleAction, handleCommand, handleDirectMessage, handleMention, handleViewSubmission, type ListenerDeps } from './listeners.js';
import { boltLogger } from './logger.js';
import { postEffect } from './outbound.js';
import { createReceiver } from './receiver.js';
import { verifySlackToken, type SlackIdentity } from './startup.js';
import { slackFileHosts } from '../shared/download.js';

export interface SlackAdapter extends Adapter {
  bolt: BoltApp;
  /** The HTTP server in HTTP mode (its port may be 0 in tests). */
  server?: Server;
}

export interface SlackAdapterOptions {
  port?: number;
  /** How long start() may try to reach Slack before it fails (STARTUP_TIMEOUT_MS). */
  startupTimeoutMs?: number;
}

const AUTH = 'slack.auth';
const SOCKET = 'slack.socket';

export function createSlackAdapter(core: Core, slack: SlackConfig, options: SlackAdapterOptions = {}): SlackAdapter {
  const log = core.logger.child({ adapter: 'slack' });
  const logger = boltLogger(core.logger);
  const clientOptions = slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {};
  const budgetMs = options.startupTimeoutMs ?? 60_000;
  let identity: SlackIdentity | null = null;
  let stopping = false;
  const receiver = createReceiver(slack, {
    logger,
    health: () => core.health(),
    port: options.port ?? slack.port,
    ready: () => identity !== null,
    early: (path) => log.warn({ path }, STARTUP.slackEarlyEvent),
  });
  // the verified identity, not a token Bolt checks on its own: a refused token never reaches the listeners
  const authorize = async (): Promise<{ botToken: string; botId: string; botUserId: string; teamId?: string }> => {
    if (!identity) throw new Error(STARTUP.healthStarting);
    return { botToken: slack.botToken, botId: identity.botId, botUserId: identity.botUserId, ...(identity.teamId ? { teamId: identity.teamId } : {}) };
  };
  const bolt = new BoltApp({ authorize, receiver, clientOptions, logger });
  const client = new webApi.WebClient(slack.botToken, { ...clientOptions, logger });
  const deps: ListenerDeps = { core, client, log, botToken: slack.botToken, fileHosts: slackFileHosts(slack.apiUrl) };

  bolt.error(async (error) => {
    log.error({ err: error }, 'Slack の処理でエラーが起きました');
  });
  bolt.command(/^\/pf(-[a-z]+)?$/, (args) => core.track(() => handleCommand(deps, args)));
  bolt.action(/.*/, (args) => core.track(() => handleAction(deps, args)));
  bolt.view('pf-form', (args) => core.track(() => handleViewSubmission(deps, args)));
  bolt.event('app_mention', (args) => core.track(() => handleMention(deps, args)));
  bolt.message((args) => core.track(() => handleDirectMessage(deps, args)));

  /** Verifies the token, telling /health; a refused token or an unreachable API throws StartupError. */
  const verify = async (): Promise<void> => {
    core.connection(AUTH, 'starting', STARTUP.healthStarting);
    try {
      identity = await verifySlackToken({ botToken: slack.botToken, ...(slack.apiUrl ? { apiUrl: slack.apiUrl } : {}), budgetMs, log, clientLogger: logger, onRetry: (detail) => core.connection(AUTH, 'starting', detail) });
    } catch (error) {
      core.connection(AUTH, 'down', (error as Error).message);
      throw error;
    }
    core.connection(AUTH, 'ready');
  };

  const adapter: SlackAdapter = {
    platform: 'slack',
    bolt,
    async start() {
      if (slack.appToken) {
        // Socket Mode: nothing arrives before the socket is open, so verify first
        await verify();
        watchSocket(receiver as SocketModeReceiver, core, () => stopping);
        await openSocket(bolt, budgetMs);
      } else {
        // HTTP: listen first, so that /health answers (503) and early events are refused aloud while the token is checked
        adapter.server = (await bolt.start(options.port ?? slack.port)) as unknown as Server;
        await verify();
      }
      log.info({ mode: slack.appToken ? 'socket-mode' : 'http', team: identity?.team, bot: identity?.botUserId }, 'Slack に接続しました');
    },
    async stop() {
      stopping = true;
      await bolt.stop().catch(() => undefined);
    },
    deliver: (effect: Effect) => postEffect(client, effect, log),
  };
  return adapter;
}

/** Socket Mode's state for /health: connected, reconnecting (it does so by itself), or down. */
function watchSocket(receiver: SocketModeReceiver, core: Core, stopping: () => boolean): void {
  core.connection(SOCKET, 'starting', STARTUP.healthStarting);
  receiver.client.on('connected', () => core.connection(SOCKET, 'ready'));
  receiver.client.on('reconnecting', () => core.connection(SOCKET, 'reconnecting', STARTUP.healthReconnecting));
  receiver.client.on('disconnected', () => {
    if (!stopping()) core.connection(SOCKET, 'reconnecting', STARTUP.healthDisconnected);
  });
}

/** bolt.start() in Socket Mode, within the start-up budget; an app token Slack refuses is fatal. */
async function openSocket(bolt: BoltApp, budgetMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StartupError(STARTUP.slackSocketTimeout(Math.round(budgetMs / 1000)))), budgetMs);
  });
  try {
    await Promise.race([bolt.start(), timeout]);
  } catch (error) {
    if (error instanceof StartupError) throw error;
    const code = (error as { data?: { error?: string }; original?: { data?: { error?: string } } }).data?.error ?? (error as { original?: { data?: { error?: string } } }).original?.data?.error;
    if (code) throw new StartupError(STARTUP.slackAppTokenRefused(code), { cause: error });
    throw new StartupError(STARTUP.slackSocketTimeout(Math.round(budgetMs / 1000)), { cause: error });
  } finally {
    clearTimeout(timer);
  }
}
