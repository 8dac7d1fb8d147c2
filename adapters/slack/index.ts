/**
 * The Slack adapter (@slack/bolt): the receiver (receiver.ts: Socket Mode or HTTP), the listeners
 * (listeners.ts: parse → core → render, one named function per kind of delivery), and the Block Kit
 * renderer (render.ts). It holds no business rule; what it sends comes from the core.
 */
import { App as BoltApp } from '@slack/bolt';
import type { Server } from 'node:http';
import type { Adapter, Core, Effect, SlackConfig } from '../../src/core.js';
import { handleAction, handleCommand, handleDirectMessage, handleMention, handleViewSubmission, type ListenerDeps } from './listeners.js';
import { boltLogger } from './logger.js';
import { postEffect } from './outbound.js';
import { createReceiver } from './receiver.js';
import { slackFileHosts } from '../shared/download.js';

export interface SlackAdapter extends Adapter {
  bolt: BoltApp;
  /** The HTTP server in HTTP mode (its port may be 0 in tests). */
  server?: Server;
}

export function createSlackAdapter(core: Core, slack: SlackConfig, options: { port?: number } = {}): SlackAdapter {
  const log = core.logger.child({ adapter: 'slack' });
  const logger = boltLogger(core.logger);
  const clientOptions = slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {};
  const receiver = createReceiver(slack, { logger, health: () => core.health(), port: options.port ?? slack.port });
  const bolt = new BoltApp({ token: slack.botToken, receiver, clientOptions, logger });
  const deps: ListenerDeps = { core, client: bolt.client, log, botToken: slack.botToken, fileHosts: slackFileHosts(slack.apiUrl) };

  bolt.error(async (error) => {
    log.error({ err: error }, 'Slack の処理でエラーが起きました');
  });
  bolt.command(/^\/pf(-[a-z]+)?$/, (args) => core.track(() => handleCommand(deps, args)));
  bolt.action(/.*/, (args) => core.track(() => handleAction(deps, args)));
  bolt.view('pf-form', (args) => core.track(() => handleViewSubmission(deps, args)));
  bolt.event('app_mention', (args) => core.track(() => handleMention(deps, args)));
  bolt.message((args) => core.track(() => handleDirectMessage(deps, args)));

  const adapter: SlackAdapter = {
    platform: 'slack',
    bolt,
    async start() {
      if (slack.appToken) await bolt.start();
      else adapter.server = (await bolt.start(options.port ?? slack.port)) as unknown as Server;
      log.info({ mode: slack.appToken ? 'socket-mode' : 'http' }, 'Slack に接続しました');
    },
    async stop() {
      await bolt.stop().catch(() => undefined);
    },
    deliver: (effect: Effect) => postEffect(bolt.client, effect, log),
  };
  return adapter;
}
