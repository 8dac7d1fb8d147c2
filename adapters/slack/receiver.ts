/**
 * The transport (bolt-js `src/types/receiver.ts`: it hands the app a body and an ack). Socket Mode
 * when SLACK_APP_TOKEN is set: no inbound connections, as local-government networks need. HTTP
 * otherwise: events, slash commands and interactivity at Bolt's /slack/events on PORT, each request
 * verified against the signing secret, and the core's health report at /health.
 *
 * Until the bot token is verified (startup.ts) the HTTP receiver answers /slack/events with 503 and
 * logs it: Slack sends events again, and nothing is acknowledged and dropped, nor silently refused.
 */
import { HTTPReceiver, SocketModeReceiver, type Logger as BoltLogger, type Receiver } from '@slack/bolt';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Health, SlackConfig } from '../../src/core.js';
import { respondHealth } from '../shared/health.js';

const EVENTS_PATH = '/slack/events';

export interface ReceiverOptions {
  logger: BoltLogger;
  health: () => Health;
  port: number;
  /** Whether events may be handled (the token has been verified). */
  ready: () => boolean;
  /** An event arrived before that: it is answered 503; this logs it. */
  early: (path: string) => void;
}

export function createReceiver(slack: SlackConfig, options: ReceiverOptions): Receiver {
  const clientOptions = slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {};
  if (slack.appToken) return new SocketModeReceiver({ appToken: slack.appToken, logger: options.logger, installerOptions: { clientOptions } });
  const health = (_req: IncomingMessage, res: ServerResponse): void => respondHealth(res, options.health());
  const receiver = new HTTPReceiver({
    signingSecret: slack.signingSecret!,
    port: options.port,
    logger: options.logger,
    endpoints: [EVENTS_PATH],
    customRoutes: [{ path: '/health', method: ['GET'], handler: health }],
  });
  // the server created by start() calls this property on every request: gate it until ready
  const handle = receiver.requestListener;
  receiver.requestListener = (req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (req.method === 'POST' && path === EVENTS_PATH && !options.ready()) {
      options.early(path);
      req.resume();
      res.writeHead(503, { 'retry-after': '10', 'content-type': 'text/plain; charset=utf-8' });
      res.end('starting');
      return;
    }
    handle(req, res);
  };
  return receiver;
}
