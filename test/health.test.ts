/**
 * Failures must not look healthy (issue 17), through the real libraries against the loopback
 * fakes (the real `npm start` process is in test/bin/main-startup.test.ts): while the Slack API cannot be reached /health says 503 and early events are refused aloud (503 and a log
 * line), then everything works once it can; an API that stays unreachable fails start-up after the
 * bounded retry; /health reports Socket Mode, Discord's gateway, the database and the language
 * model, with 503 whenever the bot cannot work.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../adapters/discord/index.js';
import { portOf, startHealthServer } from '../adapters/shared/health.js';
import { createSlackAdapter, type SlackAdapter } from '../adapters/slack/index.js';
import { StartupError, type Health } from '../src/health.js';
import { STARTUP } from '../src/messages/startup.js';
import { testApp, type TestApp } from './helpers/app.js';
import { APP_ID, FakeDiscord, GUILD_ID } from './fakes/discord-api.js';
import { FakeSlack, slackSignature } from './fakes/slack-api.js';

const SECRET = 'health-signing-secret';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function health(url: string): Promise<{ code: number; body: Health }> {
  const res = await fetch(url);
  return { code: res.status, body: (await res.json()) as Health };
}

async function until<T>(probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const got = await probe().catch(() => undefined);
    if (got !== undefined) return got;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('/health while the Slack API cannot be reached (real Bolt over HTTP)', () => {
  let app: TestApp;
  let bot: SlackAdapter | undefined;
  beforeAll(async () => {
    app = await testApp({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: `http://127.0.0.1:${await freePort()}/api/` });
  });
  afterAll(async () => {
    await bot?.stop();
    app.dispose();
  });

  it('says 503 and refuses events aloud until Slack answers, then serves', async () => {
    const apiPort = Number(new URL(app.config.slack!.apiUrl!).port);
    const port = await freePort();
    bot = createSlackAdapter(app.core, app.config.slack!, { port, startupTimeoutMs: 60_000 });
    app.adapters.register(bot);
    const started = bot.start();
    const base = `http://127.0.0.1:${port}`;
    // the server listens at once; /health says not ready, with why
    const before = await until(async () => {
      const h = await health(`${base}/health`);
      return h.body.connections['slack.auth']?.detail?.includes('接続できません') ? h : undefined;
    });
    expect(before.code).toBe(503);
    expect(before.body).toMatchObject({ status: 'unavailable', connections: { 'slack.auth': { state: 'starting' } }, database: { state: 'ready' }, llm: null });
    // an event before the token is verified: 503 (Slack sends it again) and a log line, never a silent 404 or a dropped ack
    const body = new URLSearchParams({ command: '/pf-faq', text: '4', user_id: 'U1', user_name: 't', team_id: 'T1', channel_id: 'C1', trigger_id: 'h-1', response_url: 'http://127.0.0.1:9/respond/1' }).toString();
    const early = await fetch(`${base}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...slackSignature(SECRET, body) }, body });
    expect(early.status).toBe(503);
    expect(app.logs.join('')).toContain(STARTUP.slackEarlyEvent);
    expect(app.logs.join('')).not.toContain('Slack に接続しました');
    // Slack comes back where the bot looks: the retry succeeds and the bot serves
    const fake = new FakeSlack();
    await fake.start(apiPort);
    try {
      await started;
      const after = await health(`${base}/health`);
      expect(after.code).toBe(200);
      expect(after.body).toMatchObject({ status: 'ok', connections: { 'slack.auth': { state: 'ready' } } });
      expect(app.logs.join('')).toContain('Slack に接続しました');
      const n = new URLSearchParams({ command: '/pf-faq', text: '4', user_id: 'U1', user_name: 't', team_id: 'T1', channel_id: 'C1', trigger_id: 'h-2', response_url: `${fake.url}/respond/2` }).toString();
      const ok = await fetch(`${base}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...slackSignature(SECRET, n) }, body: n });
      expect(ok.status).toBe(200);
      await fake.waitFor('respond', (c) => JSON.stringify(c.args).includes('Q4'), 0, 20_000);
    } finally {
      await bot.stop();
      await fake.stop();
    }
  }, 90_000);

  it('fails start-up after the bounded retry when Slack never answers, and /health says why', async () => {
    const port = await freePort();
    const other = createSlackAdapter(app.core, app.config.slack!, { port, startupTimeoutMs: 1500 });
    try {
      const error = await other.start().then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(StartupError);
      expect((error as Error).message).toMatch(/^Slack API（http:\/\/127\.0\.0\.1:\d+\/api\/）に接続できませんでした（\d+ 回、\d+ 秒試しました。最後のエラー: ECONNREFUSED）。/);
      const h = await health(`http://127.0.0.1:${port}/health`);
      expect(h.code).toBe(503);
      expect(h.body.connections['slack.auth']).toMatchObject({ state: 'down', detail: (error as Error).message });
    } finally {
      await other.stop();
    }
  }, 60_000);
});

describe('/health in Socket Mode and with Discord, the database and the language model', () => {
  let slack: FakeSlack;
  let discord: FakeDiscord;
  let app: TestApp;
  beforeAll(async () => {
    slack = new FakeSlack();
    await slack.start();
    discord = new FakeDiscord();
    await discord.start();
    // the model's endpoint is down at start: answers come offline, the breaker is open
    app = await testApp({
      SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xapp-test', SLACK_API_URL: slack.apiUrl,
      DISCORD_TOKEN: 'test-token', DISCORD_APPLICATION_ID: APP_ID, DISCORD_API_URL: discord.api, DISCORD_GUILD_ID: GUILD_ID,
      OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: `http://127.0.0.1:${await freePort()}/v1`, EMBEDDINGS: 'offline', LLM_TIMEOUT_MS: '1000',
    });
  }, 60_000);
  afterAll(async () => {
    await slack.stop();
    await discord.stop();
    app.dispose();
  });

  it('reports each connection, the database and the breaker, over HEALTH_PORT', async () => {
    const server = await startHealthServer(0, () => app.core.health());
    const url = `http://127.0.0.1:${portOf(server)}/health`;
    const socket = createSlackAdapter(app.core, app.config.slack!, { startupTimeoutMs: 20_000 });
    const gateway = createDiscordAdapter(app.core, app.config.discord!, { startupTimeoutMs: 20_000 });
    try {
      app.adapters.register(socket);
      app.adapters.register(gateway);
      expect((await health(url)).code).toBe(200);
      const starting = gateway.start();
      await socket.start();
      await starting;
      const up = await health(url);
      expect(up.code).toBe(200);
      expect(up.body).toMatchObject({
        status: 'degraded',
        connections: { 'slack.auth': { state: 'ready' }, 'slack.socket': { state: 'ready' }, 'discord.gateway': { state: 'ready' } },
        database: { state: 'ready' },
        llm: { breaker: 'open', reachableAtStart: false },
      });
      // the database refuses writes: 503, with the reason
      app.db.pragma('query_only = ON');
      const readOnly = await health(url);
      app.db.pragma('query_only = OFF');
      expect(readOnly.code).toBe(503);
      expect(readOnly.body.database.state).toBe('down');
      expect(readOnly.body.database.detail).toContain('SQLITE_READONLY');
      expect((await health(url)).body.database.state).toBe('ready');
    } finally {
      await socket.stop();
      await gateway.stop();
      server.close();
    }
  }, 60_000);

  it('a Discord token Discord refuses fails start-up with one line, and /health says down', async () => {
    discord.rejectToken = true;
    const gateway = createDiscordAdapter(app.core, app.config.discord!, { startupTimeoutMs: 20_000 });
    try {
      const error = await gateway.start().then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(StartupError);
      expect((error as Error).message).toBe(STARTUP.discordTokenRefused);
      expect(app.core.health().connections['discord.gateway']).toMatchObject({ state: 'down' });
      expect(app.core.health().status).toBe('unavailable');
    } finally {
      discord.rejectToken = false;
      await gateway.stop().catch(() => undefined);
    }
  }, 60_000);
});
