/**
 * Typing a choice's label on Slack and Discord (issue 22): a Slack DM of 「次へ」 turns the Q&A
 * as the 「Q7 →」 button does, 「👍」 records the vote; Discord greys out the 前へ that leads
 * nowhere and a mention of 「次へ」 turns the page too.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter, type DiscordAdapter } from '../../adapters/discord/index.js';
import { createSlackAdapter, type SlackAdapter } from '../../adapters/slack/index.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { APP_ID, BOT_ID, CHANNEL_ID, FakeDiscord, GUILD_ID, message, reqComponents, reqText, user } from '../fakes/discord-api.js';
import { callText, FakeSlack, slackSignature } from '../fakes/slack-api.js';

const SECRET = 'typed-choices-signing-secret';
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
async function dm(text: string): Promise<void> {
  const body = JSON.stringify({ team_id: 'T1', api_app_id: 'A1', type: 'event_callback', event_id: `Ev-typed-${++seq}`, event: { type: 'message', channel_type: 'im', user: 'UTYPED', text, channel: 'DTYPED', ts: `1700000100.${String(seq).padStart(6, '0')}` } });
  const res = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', ...slackSignature(SECRET, body) }, body });
  expect(res.status).toBe(200);
}

const slackButtons = (blocks: unknown): string[] =>
  ((blocks as Record<string, unknown>[]) ?? []).flatMap((b) => (b.type === 'actions' ? (b.elements as { type: string; text?: { text: string } }[]).filter((e) => e.type === 'button').map((e) => e.text!.text) : []));

describe('typing a choice’s label on Slack and Discord', () => {
  it('Slack DM: 「次へ」 opens the next Q&A, 「👍」 under an answer records the vote; 前へ that leads nowhere is left out', async () => {
    let from = slackApi.calls.length;
    await dm('/pf-faq 1');
    const q1 = await slackApi.waitFor('chat.postMessage', (c) => callText(c).includes('Q1 都道府県PFの意義を知りたい。'), from);
    expect(slackButtons(q1.args.blocks)).toEqual(['Q2 →', '一覧に戻る']);
    from = slackApi.calls.length;
    await dm('次へ');
    const q2 = await slackApi.waitFor('chat.postMessage', (c) => /Q2 /.test(callText(c)), from);
    expect(q2.args.channel).toBe('DTYPED');
    expect(slackButtons(q2.args.blocks)).toEqual(['← Q1', 'Q3 →', '一覧に戻る']);

    from = slackApi.calls.length;
    await dm('ツドレバって何社参加した？');
    const answer = await slackApi.waitFor('chat.postMessage', (c) => callText(c).includes('40社'), from);
    // 👍／👎 first, wherever the answer's other buttons are
    expect(slackButtons(answer.args.blocks).slice(0, 2)).toEqual(['👍 役に立った', '👎 役に立たなかった']);
    from = slackApi.calls.length;
    await dm('👍');
    await slackApi.waitFor('chat.postMessage', (c) => callText(c).includes('ご評価ありがとうございます'), from);
    expect(app.db.prepare("SELECT vote FROM feedback WHERE user_id = 'slack:UTYPED'").all()).toEqual([{ vote: 1 }]);
  });

  it('Discord: the first Q&A greys out its 前へ in place, and a mention of 「次へ」 turns to the next', async () => {
    const mention = (text: string): void =>
      discordApi.dispatch('MESSAGE_CREATE', { ...message(`<@${BOT_ID}> ${text}`, { author: user('920000000000000077'), guild_id: GUILD_ID, mentions: [{ ...user(BOT_ID, 'pfbot'), bot: true }] }), channel_id: CHANNEL_ID });
    let from = discordApi.requests.length;
    mention('/pf-faq 1');
    const q1 = await discordApi.waitFor((r) => r.method === 'POST' && r.path === `/channels/${CHANNEL_ID}/messages` && reqText(r).includes('Q1 都道府県PFの意義'), from);
    const buttons = reqComponents(q1).filter((c) => c.type === 2);
    expect(buttons.slice(0, 2).map((b) => [b.label, Boolean(b.disabled)])).toEqual([
      ['← 前へ', true],
      ['Q2 →', false],
    ]);
    from = discordApi.requests.length;
    mention('次へ');
    const q2 = await discordApi.waitFor((r) => r.method === 'POST' && r.path === `/channels/${CHANNEL_ID}/messages` && /Q2 /.test(reqText(r)), from);
    expect(reqText(q2)).not.toContain('見つかりませんでした');
  });
});
