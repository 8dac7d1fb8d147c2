/**
 * Slack and Discord without a desk channel: an unanswered question gets no hand-off button (it
 * could only fail), and an answer shows each cited place once, with statements as quotes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscordAdapter } from '../../adapters/discord/index.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { attachDiscord, discordEnv, startFakeDiscord } from '../helpers/discord.js';
import { attachSlack, slackEnv, startFakeSlack, type SlackDriver } from '../helpers/slack.js';
import { nextId, reqComponents, reqText, type FakeDiscord } from '../fakes/discord-api.js';
import { callText, type FakeSlack } from '../fakes/slack-api.js';

let slackApi: FakeSlack;
let discordApi: FakeDiscord;
let app: TestApp;
let slack: SlackDriver;
let discord: DiscordAdapter;

beforeAll(async () => {
  slackApi = await startFakeSlack();
  discordApi = await startFakeDiscord();
  app = await testApp({ ...slackEnv(slackApi), ...discordEnv(discordApi) });
  slack = await attachSlack(app, slackApi);
  discord = await attachDiscord(app);
});
afterAll(async () => {
  await slack.adapter.stop();
  await discord.stop();
  await slackApi.stop();
  await discordApi.stop();
  app.dispose();
});

const slashSlack = async (name: string, text: string): Promise<number> => (await slack.command(name, text)).status;

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
