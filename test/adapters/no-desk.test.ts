/**
 * Slack and Discord without a desk channel: an unanswered question gets no hand-off button (it
 * could only fail), and an answer shows each cited place once, with statements as quotes.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter, type DiscordAdapter } from '../../adapters/discord/index.js';
import { createSlackAdapter, type SlackAdapter } from '../../adapters/slack/index.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { APP_ID, FakeDiscord, GUILD_ID, nextId, reqComponents, reqText } from '../fakes/discord-api.js';
import { callText, FakeSlack, slackSignature } from '../fakes/slack-api.js';

const SECRET = 'no-desk-signing-secret';
let slackApi: FakeSlack;
let discordApi: FakeDiscord;
let app: TestApp;
let slack: SlackAdapter;
let discord: DiscordAdapter;
let endpoint: string;

beforeAll(async () => {
  slackApi = new FakeSlack();
  await slackApi.start();
  discordApi = new FakeDiscord();
  await discordApi.start();
  app = await testApp({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slackApi.apiUrl, DISCORD_TOKEN: 'test-token', DISCORD_APPLICATION_ID: APP_ID, DISCORD_API_URL: discordApi.api, DISCORD_GUILD_ID: GUILD_ID });
  slack = createSlackAdapter(app.core, app.config.slack!, { port: 0 });
  discord = createDiscordAdapter(app.core, app.config.discord!);
  for (const a of [slack, discord]) {
    app.adapters.register(a);
    await a.start();
  }
  endpoint = `http://127.0.0.1:${(slack.server!.address() as AddressInfo).port}/slack/events`;
  const until = Date.now() + 20_000;
  while (!discord.client.isReady() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
});
afterAll(async () => {
  await slack.stop();
  await discord.stop();
  await slackApi.stop();
  await discordApi.stop();
  app.dispose();
});

let seq = 0;
async function slashSlack(name: string, text: string): Promise<number> {
  const n = ++seq;
  const body = new URLSearchParams({ command: `/${name}`, text, user_id: 'U1', user_name: 'tester', team_id: 'T1', channel_id: 'C1', trigger_id: `trig-${n}`, response_url: `${slackApi.url}/respond/${n}` }).toString();
  const res = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...slackSignature(SECRET, body) }, body });
  return res.status;
}

const slackButtons = (blocks: unknown): string[] =>
  ((blocks as Record<string, unknown>[]) ?? []).flatMap((b) => (b.type === 'actions' ? (b.elements as { text: { text: string } }[]).map((e) => e.text.text) : []));

describe('no desk configured (Slack and Discord payloads)', () => {
  it('Slack: an out-of-scope answer offers no hand-off; an answer cites each place once', async () => {
    let from = slackApi.calls.length;
    expect(await slashSlack('pf', '明日の天気は？')).toBe(200);
    const refusal = await slackApi.waitFor('respond', (c) => callText(c).includes('見つかりませんでした'), from);
    expect(slackButtons(refusal.args.blocks)).toContain('👍 役に立った');
    expect(slackButtons(refusal.args.blocks).join()).not.toContain('担当窓口');
    from = slackApi.calls.length;
    await slashSlack('pf', 'ツドレバって何？');
    const answer = await slackApi.waitFor('respond', (c) => callText(c).includes('ツドレバ'), from);
    const labels = [...callText(answer).matchAll(/📄 \[\d+\] ([^\n"]+)/g)].map((m) => m[1]!);
    expect(labels.length).toBeGreaterThan(1);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it('Discord: an out-of-scope answer offers no hand-off button', async () => {
    const from = discordApi.requests.length;
    discordApi.dispatch('INTERACTION_CREATE', discordApi.interaction(2, { id: nextId(), name: 'pf', type: 1, options: [{ name: '質問', type: 3, value: '明日の天気は？' }] }));
    const edit = await discordApi.waitFor((r) => r.method === 'PATCH' && r.path.endsWith('/messages/@original'), from);
    expect(reqText(edit)).toContain('見つかりませんでした');
    const labels = reqComponents(edit).map((c) => String(c.label ?? ''));
    expect(labels.join()).toContain('役に立った');
    expect(labels.join()).not.toContain('担当窓口');
  });
});
