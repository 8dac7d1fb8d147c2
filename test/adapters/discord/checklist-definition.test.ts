/**
 * A prefecture's own checklist (CHECKLIST_FILE, test/fixtures/checklist/custom.json) through
 * Discord payloads: the real discord.js client against the fake API and gateway on loopback.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../src/config.js';
import type { TestApp } from '../../helpers/app.js';
import { component as componentOf, customId, labelled, mention as mentionOf, selectOf, startDiscordBot, type DiscordBot } from '../../helpers/discord.js';
import { nextId, reqComponents, reqText, type FakeDiscord, type Req } from '../../fakes/discord-api.js';

let started: DiscordBot;
let fake: FakeDiscord;
let app: TestApp;
const U = '920000000000000031';

beforeAll(async () => {
  started = await startDiscordBot({ CHECKLIST_FILE: join(PROJECT_ROOT, 'test', 'fixtures', 'checklist', 'custom.json') });
  ({ fake, app } = started);
});
afterAll(() => started.stop());

/** The first request from `from` on that carries `text` (an interaction callback, a follow-up, or a channel message). */
async function reply(from: number, text: string): Promise<Req> {
  return fake.waitFor((r) => r.method !== 'GET' && reqText(r).includes(text), from);
}
const component = (customId: string, values?: string[]) => componentOf(fake, customId, { userId: U, ...(values ? { values } : {}) });
/** Types an answer in the channel, mentioning the bot. */
const mention = (text: string): void => fake.dispatch('MESSAGE_CREATE', mentionOf(text, U));

describe('a custom checklist in Discord', () => {
  it('walks every question kind of the file through Discord payloads and stores the answers with the version', async () => {
    // membership is granted, not taken (issue 17)
    app.services.roles.bindMember('discord', U, '熊谷市', 'discord:admin');
    let from = fake.requests.length;
    fake.dispatch('INTERACTION_CREATE', fake.interaction(2, { id: nextId(), name: 'pf-checklist', type: 1, options: [] }, { userId: U }));
    let last = await reply(from, '生活支援に関する地域の課題を把握している');
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
