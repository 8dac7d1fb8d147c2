/**
 * Issue 18 on Discord, through the real discord.js client against the loopback fake API and
 * gateway: flows are ephemeral, navigation updates the message it came from (callback type 7),
 * a private reply to a mention goes by DM, echoed @everyone cannot ping.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_ID, nextId, reqComponents, reqText, type FakeDiscord, type Req } from '../../fakes/discord-api.js';
import { callback as waitForCallback, component as componentOf, EPHEMERAL, mention, startDiscordBot, type DiscordBot } from '../../helpers/discord.js';

let started: DiscordBot;
let fake: FakeDiscord;

beforeAll(async () => {
  started = await startDiscordBot();
  fake = started.fake;
});
afterAll(() => started.stop());

const callback = (from: number) => waitForCallback(fake, from);
const data = (r: Req): Record<string, unknown> => (r.body.data as Record<string, unknown>) ?? {};

/** A button or select pressed on a message of the given visibility. */
const component = (customId: string, onEphemeral: boolean, userId: string, values?: string[]) => componentOf(fake, customId, { userId, ephemeral: onEphemeral, ...(values ? { values } : {}) });

describe('Discord: private flows, edits in place, inert mentions (issue 18)', () => {
  it('a checklist is ephemeral and its steps update the message they came from', async () => {
    const u = '920000000000000071';
    let from = fake.requests.length;
    fake.dispatch('INTERACTION_CREATE', fake.interaction(2, { id: nextId(), name: 'pf-checklist', type: 1, options: [] }, { userId: u }));
    const first = await callback(from);
    expect(first.body.type).toBe(4);
    expect(Number(data(first).flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
    const bind = reqComponents(first).find((c) => c.type === 3 && String(c.custom_id).startsWith('flow:checklist:bind'))!;
    from = fake.requests.length;
    fake.dispatch('INTERACTION_CREATE', component(String(bind.custom_id), true, u, ['行田市']));
    const updated = await callback(from);
    // UPDATE_MESSAGE: the picker is replaced, not followed by a new message
    expect(updated.body.type).toBe(7);
    // membership is granted, not taken (issue 17): the pick is a request, shown in the ephemeral message it replaces
    expect(reqText(updated)).toContain('行田市 の担当者として申請しました');
  });

  it('「Q7 →」 on a public message updates it in place', async () => {
    const from = fake.requests.length;
    fake.dispatch('INTERACTION_CREATE', component('faq:open|7', false, '920000000000000072'));
    const cb = await callback(from);
    expect(cb.body.type).toBe(7);
    expect(reqText(cb)).toContain('Q7 山間部などリソースが限られるなかでの多様な主体のイメージを知りたい。');
  });

  it('a private flow started by a mention in a server goes to the DM, with a note in the channel', async () => {
    const u = '920000000000000073';
    const from = fake.requests.length;
    fake.dispatch('MESSAGE_CREATE', mention('チェックリストに回答したい', u));
    const dm = await fake.waitFor((r) => r.method === 'POST' && /^\/channels\/8\d+\/messages$/.test(r.path), from);
    expect(reqText(dm)).toContain('回答する市町村を選んでください');
    const note = await fake.waitFor((r) => r.method === 'POST' && r.path === `/channels/${CHANNEL_ID}/messages`, from);
    expect(reqText(note)).toContain('ダイレクトメッセージでお送りしました');
    expect(fake.find((r) => r.method === 'POST' && r.path === `/channels/${CHANNEL_ID}/messages` && reqText(r).includes('回答する市町村'), from)).toEqual([]);
  });

  it('echoed @everyone and <@&role> cannot ping: allowed_mentions is empty', async () => {
    const from = fake.requests.length;
    fake.dispatch('INTERACTION_CREATE', fake.interaction(2, { id: nextId(), name: 'pf-provider', type: 1, options: [{ name: 'キーワード', type: 3, value: '@everyone <@&123> 行田市' }] }, { userId: '920000000000000074' }));
    const cb = await callback(from);
    expect(reqText(cb)).toContain('@everyone');
    expect(data(cb).allowed_mentions).toEqual({ parse: [] });
  });
});
