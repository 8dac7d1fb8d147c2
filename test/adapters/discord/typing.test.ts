/**
 * Discord's typing indicator while a slow answer is prepared (issue 18): the real discord.js client
 * against the fake API and gateway, the language-model path against a fake OpenAI-compatible
 * server that takes longer than one typing trigger lasts (about 10 s). The trigger is renewed
 * until the answer is sent, and not after.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter, type DiscordAdapter } from '../../../adapters/discord/index.js';
import { testApp, type TestApp } from '../../helpers/app.js';
import { APP_ID, BOT_ID, CHANNEL_ID, FakeDiscord, GUILD_ID, message, reqText, user } from '../../fakes/discord-api.js';
import { FakeOpenAI } from '../../fakes/openai-api.js';

let fake: FakeDiscord;
let openai: FakeOpenAI;
let app: TestApp;
let bot: DiscordAdapter;

beforeAll(async () => {
  fake = new FakeDiscord();
  await fake.start();
  openai = new FakeOpenAI();
  await openai.start();
  app = await testApp({ DISCORD_TOKEN: 'test-token', DISCORD_APPLICATION_ID: APP_ID, DISCORD_API_URL: fake.api, DISCORD_GUILD_ID: GUILD_ID, OPENAI_API_KEY: 'sk-test-key', OPENAI_BASE_URL: openai.baseUrl, EMBEDDINGS: 'offline', LLM_TIMEOUT_MS: '20000' });
  bot = createDiscordAdapter(app.core, app.config.discord!);
  app.adapters.register(bot);
  await bot.start();
  const until = Date.now() + 10_000;
  while (!bot.client.isReady() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
});
afterAll(async () => {
  await bot.stop();
  await fake.stop();
  await openai.stop();
  app.dispose();
});

describe('Discord: typing while a slow answer is prepared', () => {
  it('renews the typing trigger until the answer is sent', async () => {
    openai.delayMs = 9500;
    const from = fake.requests.length;
    fake.dispatch('MESSAGE_CREATE', { ...message(`<@${BOT_ID}> ツドレバって何社参加した？`, { author: user('920000000000000301'), guild_id: GUILD_ID, mentions: [{ ...user(BOT_ID, 'pfbot'), bot: true }] }), channel_id: CHANNEL_ID });
    const answer = await fake.waitFor((r) => r.method === 'POST' && r.path === `/channels/${CHANNEL_ID}/messages`, from, 25_000);
    expect(reqText(answer)).toContain('資料によると');
    const typing = fake.find((r) => r.path === `/channels/${CHANNEL_ID}/typing`, from);
    expect(typing.length).toBeGreaterThanOrEqual(2);
    expect(typing.every((r) => r.at <= answer.at)).toBe(true);
    // nothing more once the answer is out
    await new Promise((r) => setTimeout(r, 8500));
    expect(fake.find((r) => r.path === `/channels/${CHANNEL_ID}/typing`, from)).toHaveLength(typing.length);
  }, 60_000);
});
