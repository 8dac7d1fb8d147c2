import { ApplicationCommandOptionType } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandDefinitions } from '../../../adapters/discord/commands.js';
import type { DiscordAdapter } from '../../../adapters/discord/index.js';
import { discordViolations, MAX_CHOICES, MAX_COMMAND_DESCRIPTION, MAX_COMMAND_NAME, modalViolations } from '../../../adapters/discord/limits.js';
import { renderMessages, renderModal } from '../../../adapters/discord/render.js';
import { registerCommands } from '../../../adapters/discord/register.js';
import { commandCatalog } from '../../../src/commands.js';
import { loadConfig } from '../../../src/config.js';
import type { TestApp } from '../../helpers/app.js';
import { callback as waitForCallback, component as componentOf, customId, labelled, mention, selectOf, slash as slashOf, startDiscordBot, type DiscordBot } from '../../helpers/discord.js';
import { APP_ID, BOT_ID, CHANNEL_ID, DESK_ID, GUILD_ID, message, nextId, reqComponents, reqText, user, type FakeDiscord, type Req } from '../../fakes/discord-api.js';

let started: DiscordBot;
let fake: FakeDiscord;
let app: TestApp;
let bot: DiscordAdapter;

beforeAll(async () => {
  started = await startDiscordBot({ DISCORD_DESK_CHANNEL: DESK_ID, ADMIN_USER_IDS: 'discord:920000000000000099' });
  ({ fake, app, adapter: bot } = started);
});
afterAll(() => started.stop());

const callback = (from: number, pred?: (r: Req) => boolean) => waitForCallback(fake, from, pred);

const slash = (name: string, options: { name: string; type: number; value: unknown; focused?: boolean }[] = [], userId?: string) => slashOf(fake, name, options, userId);

const component = (customId: string, values?: string[], userId?: string) => componentOf(fake, customId, { ...(values ? { values } : {}), ...(userId ? { userId } : {}) });


describe('Discord adapter (real discord.js client against a fake API and gateway)', () => {
  it('logged in through /gateway/bot of the configured API', () => {
    expect(bot.client.isReady()).toBe(true);
    expect(fake.requests.some((r) => r.path === '/gateway/bot')).toBe(true);
    expect(bot.client.user?.id).toBe(BOT_ID);
  });

  it('answers a slash command with the right Q&A, embeds and citations with pages', async () => {
    const from = fake.requests.length;
    fake.dispatch('INTERACTION_CREATE', slash('pf-faq', [{ name: '番号', type: 4, value: 6 }]));
    const cb = await callback(from);
    expect(cb.body.type).toBe(4);
    const text = reqText(cb);
    expect(text).toContain('Q6 多様な主体へのアプローチ方法を知りたい。');
    expect(text).toContain('多様な主体に直接電話や面会の機会を設け');
    expect(text).toMatch(/📄 \[1\] .*P\.32/);
  });

  it('defers a question at once and follows up with the answer', async () => {
    const from = fake.requests.length;
    fake.dispatch('INTERACTION_CREATE', slash('pf', [{ name: '質問', type: 3, value: 'ツドレバって何社参加した？' }]));
    const cb = await callback(from);
    expect(cb.body.type).toBe(5);
    const edit = await fake.waitFor((r) => r.method === 'PATCH' && r.path.endsWith('/messages/@original'), from);
    expect(reqText(edit)).toContain('40社');
  });

  it('handles a button and a select menu', async () => {
    let from = fake.requests.length;
    fake.dispatch('INTERACTION_CREATE', component('faq:open|7'));
    expect(reqText(await callback(from))).toContain('Q7 山間部などリソースが限られるなかでの多様な主体のイメージを知りたい。');
    from = fake.requests.length;
    fake.dispatch('INTERACTION_CREATE', component('faq:open|', ['13']));
    expect(reqText(await callback(from))).toContain('Q13 市町村と多様な主体での解決策のアイデアの合意形成を支援したい。');
  });

  it('completes the municipal checklist in Discord form (selects, buttons, a modal)', async () => {
    const u = '920000000000000007';
    let from = fake.requests.length;
    fake.dispatch('INTERACTION_CREATE', slash('pf-checklist', [], u));
    let last = await callback(from);
    expect(reqText(last)).toContain('回答する市町村を選んでください');
    // 63 municipalities: more than one select menu of 25
    expect(reqComponents(last).filter((c) => c.type === 3).length).toBe(3);
    from = fake.requests.length;
    fake.dispatch('INTERACTION_CREATE', component(customId(last, selectOf('flow:checklist:bind')), ['行田市'], u));
    // membership is granted, not taken: the pick files a request, the desk is told, an admin approves
    expect(reqText(await callback(from))).toContain('行田市 の担当者として申請しました');
    const notice = await fake.waitFor((r) => r.path === `/channels/${DESK_ID}/messages` && reqText(r).includes('回答者の申請'), from);
    from = fake.requests.length;
    fake.dispatch('INTERACTION_CREATE', component(customId(notice, labelled('を承認')), undefined, '920000000000000099'));
    expect(reqText(await callback(from))).toContain('を承認しました');
    from = fake.requests.length;
    fake.dispatch('INTERACTION_CREATE', slash('pf-checklist', [], u));
    last = await callback(from);
    expect(reqText(last)).toContain('生活支援サービスに関連する課題を把握できている');
    from = fake.requests.length;
    fake.dispatch('INTERACTION_CREATE', component(customId(last, labelled('いいえ')), undefined, u));
    last = await callback(from);
    expect(reqText(last)).toContain('Q2');
    from = fake.requests.length;
    fake.dispatch('INTERACTION_CREATE', component(customId(last, labelled('入力する')), undefined, u));
    const modal = await callback(from);
    expect(modal.body.type).toBe(9);
    const modalData = modal.body.data as { custom_id: string; components: { components: { custom_id: string }[] }[] };
    from = fake.requests.length;
    fake.dispatch('INTERACTION_CREATE', fake.interaction(5, { custom_id: modalData.custom_id, components: [{ type: 1, components: [{ type: 4, custom_id: modalData.components[0]!.components[0]!.custom_id, value: 'まず課題を把握する仕組みがない' }] }] }, { userId: u }));
    last = await callback(from);
    expect(reqText(last)).toContain('Q3');
    from = fake.requests.length;
    fake.dispatch('INTERACTION_CREATE', component(customId(last, selectOf('flow:checklist:q3')), ['how-to-discuss'], u));
    last = await callback(from);
    from = fake.requests.length;
    fake.dispatch('INTERACTION_CREATE', component(customId(last, selectOf('flow:checklist:q4')), ['training', 'event'], u));
    last = await callback(from);
    expect(reqText(last)).toContain('送信前の確認');
    from = fake.requests.length;
    fake.dispatch('INTERACTION_CREATE', component(customId(last, labelled('送信する')), undefined, u));
    last = await callback(from);
    expect(reqText(last)).toContain('行田市 のチェックリストを受け付けました（第1版）');
    expect(reqText(last)).toContain('課題を把握していない');
  });

  it('completes a provider search in Discord form, with autocomplete for the municipality', async () => {
    let from = fake.requests.length;
    fake.dispatch('INTERACTION_CREATE', fake.interaction(4, { id: nextId(), name: 'pf-provider', type: 1, options: [{ name: '市町村', type: 3, value: 'ぎょうだ', focused: true }] }));
    const ac = await callback(from);
    expect(ac.body.type).toBe(8);
    expect((ac.body.data as { choices: { name: string }[] }).choices.map((c) => c.name)).toContain('行田市');
    from = fake.requests.length;
    fake.dispatch('INTERACTION_CREATE', slash('pf-provider'));
    let last = await callback(from);
    from = fake.requests.length;
    fake.dispatch('INTERACTION_CREATE', component(customId(last, selectOf('flow:provider:category')), ['shopping']));
    last = await callback(from);
    from = fake.requests.length;
    fake.dispatch('INTERACTION_CREATE', component(customId(last, selectOf('flow:provider:subcategory')), ['shopping-4']));
    last = await callback(from);
    from = fake.requests.length;
    fake.dispatch('INTERACTION_CREATE', component(customId(last, selectOf('flow:provider:area')), ['行田市']));
    last = await callback(from);
    expect(reqText(last)).toContain('買物 › 移動販売／行田市：1 件');
    expect(reqText(last)).toContain('ウエルシア薬局株式会社');
  });

  it('sends errors as short ephemeral messages', async () => {
    const from = fake.requests.length;
    fake.dispatch('INTERACTION_CREATE', slash('pf-checklist', [{ name: '操作', type: 3, value: '集計' }], '920000000000000055'));
    const cb = await callback(from);
    expect(((cb.body.data as { flags?: number }).flags ?? 0) & 64).toBe(64);
    expect(reqText(cb)).toContain('権限がありません');
  });

  it('answers a mention, showing that it is typing', async () => {
    const from = fake.requests.length;
    fake.dispatch('MESSAGE_CREATE', mention('ツドレバって何社参加した？', '920000000000000003'));
    await fake.waitFor((r) => r.path === `/channels/${CHANNEL_ID}/typing`, from);
    const post = await fake.waitFor((r) => r.method === 'POST' && r.path === `/channels/${CHANNEL_ID}/messages`, from);
    expect(reqText(post)).toContain('40社');
    expect(post.body.message_reference).toBeDefined();
    expect(post.body.allowed_mentions).toMatchObject({ parse: [] });
  });

  it('survives malformed gateway payloads and keeps answering', async () => {
    // (a command packet without `data` makes discord.js itself reject inside its gateway handler,
    // before any of our code runs; main.ts logs such rejections and keeps serving)
    fake.dispatch('INTERACTION_CREATE', fake.interaction(3, { custom_id: '', component_type: 2 }, { message: message('x') }));
    fake.dispatch('INTERACTION_CREATE', fake.interaction(5, { custom_id: 'form:' + 'x'.repeat(200), components: [] }));
    fake.dispatch('INTERACTION_CREATE', slash('pf-unknown'));
    fake.dispatch('MESSAGE_CREATE', { id: nextId(), channel_id: CHANNEL_ID, content: null });
    fake.dispatch('MESSAGE_CREATE', mention('\u0000'.repeat(50), '920000000000000004'));
    await new Promise((r) => setTimeout(r, 300));
    const from = fake.requests.length;
    fake.dispatch('INTERACTION_CREATE', slash('pf-faq', [{ name: '番号', type: 4, value: 5 }]));
    expect(reqText(await callback(from))).toContain('Q5 庁内連携の仕方やイメージを知りたい。');
  });

  it('reconnects after a gateway disconnect, logs it, and keeps working', async () => {
    const before = fake.identifies + fake.resumes;
    fake.drop(4000);
    const until = Date.now() + 15_000;
    while (fake.identifies + fake.resumes === before && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(fake.identifies + fake.resumes).toBeGreaterThan(before);
    expect(app.logs.join('\n')).toContain('切断されました');
    await new Promise((r) => setTimeout(r, 200));
    const from = fake.requests.length;
    fake.dispatch('INTERACTION_CREATE', slash('pf-faq', [{ name: '番号', type: 4, value: 2 }]));
    expect(reqText(await callback(from))).toContain('Q2 市町村や現場の課題や雰囲気を知りたい。');
  });

  it('registers the six slash commands guild-scoped with one command, within Discord limits', async () => {
    const from = fake.requests.length;
    const config = loadConfig({ DATA_DIR: app.dir, DISCORD_TOKEN: 'test-token', DISCORD_APPLICATION_ID: APP_ID, DISCORD_API_URL: fake.api, DISCORD_GUILD_ID: GUILD_ID }, app.dir);
    const catalog = commandCatalog(app.services.kb);
    const result = await registerCommands(config, catalog);
    expect(result.count).toBe(6);
    const put = await fake.waitFor((r) => r.method === 'PUT', from);
    expect(put.path).toBe(`/applications/${APP_ID}/guilds/${GUILD_ID}/commands`);
    const global = await registerCommands(config, catalog, { global: true });
    expect(global.route).toBe(`/applications/${APP_ID}/commands`);
    const defs = commandDefinitions(catalog);
    expect(defs.map((d) => d.name)).toEqual(['pf', 'pf-faq', 'pf-step', 'pf-case', 'pf-checklist', 'pf-provider']);
    // /pf names the user of 「権限 付与／解除」 with Discord's user picker (type 6), as registered
    const registered = (put.body as unknown as { name: string; options?: { name: string; type: number }[] }[]).find((d) => d.name === 'pf')!;
    expect(registered.options).toContainEqual(expect.objectContaining({ name: 'ユーザー', type: ApplicationCommandOptionType.User, required: false }));
    for (const d of defs) {
      expect(d.name.length).toBeLessThanOrEqual(MAX_COMMAND_NAME);
      expect([...d.description].length).toBeLessThanOrEqual(MAX_COMMAND_DESCRIPTION);
      for (const o of d.options ?? []) {
        expect([...o.description].length).toBeLessThanOrEqual(MAX_COMMAND_DESCRIPTION);
        if ('choices' in o && o.choices) expect(o.choices.length).toBeLessThanOrEqual(MAX_CHOICES);
      }
    }
  });

  it('grants and revokes with the user picked in /pf\'s user option, and says so when no user is named', async () => {
    const admin = '920000000000000099';
    const picked = '920000000000000055';
    const grant = async (question: string, userId?: string): Promise<string> => {
      const from = fake.requests.length;
      const options = [{ name: '質問', type: 3, value: question }, ...(userId ? [{ name: 'ユーザー', type: 6, value: userId }] : [])];
      const interaction = slash('pf', options, admin);
      // Discord sends the picked user's object with the option
      if (userId) (interaction.data as Record<string, unknown>).resolved = { users: { [userId]: user(userId, 'tanaka') } };
      fake.dispatch('INTERACTION_CREATE', interaction);
      return reqText(await callback(from));
    };
    expect(await grant('権限 付与 市町村 行田市', picked)).toContain(`${picked} を 行田市 のメンバーにしました`);
    expect(app.services.roles.of('discord', picked)).toMatchObject({ role: 'member', municipalityId: '行田市' });
    expect(await grant('権限 付与 管理者', picked)).toContain(`${picked} を管理者（都道府県の担当者）にしました`);
    expect(await grant('権限 解除', picked)).toContain(`${picked} の権限を解除しました`);
    expect(app.services.roles.of('discord', picked).role).toBe('guest');
    // a typed name names nobody: nothing changes, and the reply says to pick the user
    const before = app.services.roles.list();
    const typed = await grant('権限 付与 @田中 管理者');
    expect(typed).toContain('「@田中」からユーザーを特定できませんでした。何も変更していません。「ユーザー」の欄で相手を選んでください。');
    expect(typed).toContain('/pf 質問:権限 付与 管理者 ユーザー:（相手を選ぶ）');
    expect(app.services.roles.list()).toEqual(before);
  });

  it('kept every message, embed and modal within Discord limits', () => {
    expect(fake.violations).toEqual([]);
  });
});

describe('Discord rendering by construction', () => {
  it('splits oversized content across embeds and messages within every limit', () => {
    const reply = {
      blocks: [
        { type: 'header' as const, text: 'あ'.repeat(400) },
        { type: 'text' as const, text: 'い'.repeat(9000) },
        ...Array.from({ length: 40 }, (_, i) => ({ type: 'list' as const, title: `項目${i}`, items: ['う'.repeat(300), 'え'.repeat(300)] })),
        { type: 'fields' as const, fields: Array.from({ length: 40 }, (_, i) => ({ label: `L${i}`, value: 'お'.repeat(1500) })) },
        { type: 'actions' as const, controls: [{ kind: 'select' as const, action: 'x', placeholder: 'p'.repeat(300), options: Array.from({ length: 90 }, (_, i) => ({ label: `選択肢${i}`.repeat(30), value: `v${i}`.repeat(40) })) }, ...Array.from({ length: 30 }, (_, i) => ({ kind: 'button' as const, action: 'b', label: 'ボタン'.repeat(40), value: 'x'.repeat(200) + i }))] },
      ],
    };
    const messages = renderMessages(reply);
    expect(messages.length).toBeGreaterThan(2);
    for (const m of messages) expect(discordViolations(m as unknown as Record<string, unknown>)).toEqual([]);
    const modal = renderModal({ id: 'f'.repeat(120), title: 'とても長いフォームのタイトルです、本当にとても長いタイトルなのです、ほんとうに', submitLabel: '送信', fields: Array.from({ length: 8 }, (_, i) => ({ id: `f${i}`, label: 'ラベル'.repeat(30), kind: 'textarea' as const, maxLength: 10_000, initial: 'x'.repeat(5000) })) });
    expect(modalViolations(modal)).toEqual([]);
  });
});
