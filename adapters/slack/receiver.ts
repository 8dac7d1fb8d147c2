/**
 * The transport (bolt-js `src/types/receiver.ts`: it hands the app a body and an ack). Socket Mode
 * when SLACK_APP_TOKEN is set: no inbound connections, as local-government networks need. HTTP
 * otherwise: events, slash commands and interactivity at Bolt's /slack/events on PORT, each request
 * verified against the signing secret, and the core's health report at /health.
 */
import { HTTPReceiver, SocketModeReceiver, type Logger as BoltLogger, type Receiver } from '@slack/bolt';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Health, SlackConfig } from '../../src/core.js';

export function createReceiver(slack: SlackConfig, options: { logger: BoltLogger; health: () => Health; port: number }): Receiver {
  const clientOptions = slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {};
  if (slack.appToken) return new SocketModeReceiver({ appToken: slack.appToken, logger: options.logger, installerOptions: { clientOptions } });
  const health = (_req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(options.health()));
  };
  return new HTTPReceiver({
    signingSecret: slack.signingSecret!,
    port: options.port,
    logger: options.logger,
    customRoutes: [{ path: '/health', method: ['GET'], handler: health }],
  });
}
