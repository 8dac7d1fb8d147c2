/**
 * A prefecture's own checklist (CHECKLIST_FILE, test/fixtures/checklist/custom.json) through
 * Discord payloads: the real discord.js client against the fake API and gateway on loopback.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter, type DiscordAdapter } from '../../../adapters/discord/index.js';
import { PROJECT_ROOT } from '../../../src/config.js';
import { testApp, type TestApp } from '../../helpers/app.js';
import { APP_ID, BOT_ID, CHANNEL_ID, FakeDiscord, GUILD_ID, message, nextId, reqComponents, reqText, user, type Req } from '../../fakes/discord-api.js';

let fake: FakeDiscord;
let app: TestApp;
let bot: DiscordAdapter;
const U = '920000000000000031';

beforeAll(async () => {
  fake = new FakeDiscord();
  await fake.start();
  app = await testApp({ DISCORD_TOKEN: 'test-token', DISCORD_APPLICATION_ID: APP_ID, DISCORD_API_URL: fake.api, DISCORD_GUILD_ID: GUILD_ID, CHECKLIST_FILE: join(PROJECT_ROOT, 'test', 'fixtures', 'checklist', 'custom.json') });
  bot = createDiscordAdapter(app.core, app.config.discord!);
  app.adapters.register(bot);
  await bot.start();
  const until = Date.now() + 10_000;
  while (!bot.client.isReady() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
});
afterAll(async () => {
  await bot.stop();
  await fake.stop();
  app.dispose();
});

/** The first request from `from` on that carries `text` (an interaction callback, a follow-up, or a channel message). */
async function reply(from: number, text: string): Promise<Req> {
  return fake.waitFor((r) => r.method !== 'GET' && reqText(r).includes(text), from);
}
function component(customId: string, values?: string[]): Record<string, unknown> {
  return fake.interaction(3, { custom_id: customId, component_type: values ? 3 : 2, ...(values ? { values } : {}) }, { userId: U, message: message('前のメッセージ') });
}
function customId(r: Req, pred: (c: Record<string, unknown>) => boolean): string {
  const c = reqComponents(r).find(pred);
  if (!c) throw new Error(`no component in ${JSON.stringify(reqComponents(r))}`);
  return String(c.custom_id);
}
const labelled = (label: string) => (c: Record<string, unknown>) => String(c.label ?? '').includes(label);
const selectOf = (action: string) => (c: Record<string, unknown>) => c.type === 3 && String(c.custom_id).startsWith(action);
/** Types an answer in the channel, mentioning the bot. */
function mention(text: string): void {
  fake.dispatch('MESSAGE_CREATE', { ...message(`<@${BOT_ID}> ${text}`, { author: user(U), guild_id: GUILD_ID, mentions: [{ ...user(BOT_ID, 'pfbot'), bot: true }] }), channel_id: CHANNEL_ID });
}

describe('a custom checklist in Discord', () => {
  it('walks every question kind of the file through Discord payloads and stores the answers with the version', async () => {
    let from = fake.requests.length;
    fake.dispatch('INTERACTION_CREATE', fake.interaction(2, { id: nextId(), name: 'pf-checklist', type: 1, options: [] }, { userId: U }));
    let last = await reply(from, '回答する市町村を選んでください');
    from = fake.requests.length;
    fake.dispatch('INTERACTION_CREATE', component(customId(last, selectOf('flow:checklist:bind')), ['熊谷市']));
    last = await reply(from, '生活支援に関する地域の課題を把握している');
    await new Promise((r) => setTimeout(r, 200));
    last = fake.find((r) => reqComponents(r).some(labelled('いいえ')), from).at(-1)!;
    from = fake.requests.length;
    fake.dispatch('INTERACTION_CREATE', component(customId(last, labelled('いいえ'))));
    last = await reply(from, '問2 県から受けたい支援');
    from = fake.requests.length;
    fake.dispatch('INTERACTION_CREATE', component(customId(last, selectOf('flow:checklist:q4')), ['no-support']));
    last = await reply(from, '問3 生活支援コーディネーター');
    from = fake.requests.length;
    mention('0');
    last = await reply(from, '問4 第2層協議体');
    from = fake.requests.length;
    fake.dispatch('INTERACTION_CREATE', component(customId(last, selectOf('flow:checklist:council')), ['none']));
    last = await reply(from, '問5 問1で「いいえ」と答えた理由');
    from = fake.requests.length;
    mention('課題を調べる手段がない');
    last = await reply(from, '送信前の確認');
    from = fake.requests.length;
    fake.dispatch('INTERACTION_CREATE', component(customId(last, labelled('送信する'))));
    last = await reply(from, '受け付けました');
    expect(reqText(last)).toContain('熊谷市 のチェックリストを受け付けました（第1版）');
    expect(reqText(last)).toContain('課題を把握していない');
    expect(reqText(last)).toContain('「今は支援を受ける予定はない」とのご回答です');
    expect(app.services.checklists.latest('熊谷市')).toMatchObject({
      definitionVersion: '2026年度版',
      answers: { q1: { q1a: 'no' }, q4: { options: ['no-support'] }, sc: 0, council: { options: ['none'] }, q2: '課題を調べる手段がない' },
    });
  });
});
