/**
 * The Discord adapter started for a test the way bin/main.ts starts it (registered for the relay,
 * then logged in), its real discord.js client against the loopback fake REST API and gateway, and
 * the interactions and messages the gateway would dispatch.
 */
import { createDiscordAdapter, type DiscordAdapter } from '../../adapters/discord/index.js';
import { APP_ID, BOT_ID, CHANNEL_ID, FakeDiscord, GUILD_ID, message, nextId, reqComponents, user, type Req } from '../fakes/discord-api.js';
import { testApp, type TestApp } from './app.js';

/** What the app needs to talk to the fake (token, application, API URL, guild). */
export const discordEnv = (fake: FakeDiscord): Record<string, string> => ({ DISCORD_TOKEN: 'test-token', DISCORD_APPLICATION_ID: APP_ID, DISCORD_API_URL: fake.api, DISCORD_GUILD_ID: GUILD_ID });

/** Discord's flag of an ephemeral message. */
export const EPHEMERAL = 64;

/** A started fake Discord API and gateway. */
export async function startFakeDiscord(): Promise<FakeDiscord> {
  const fake = new FakeDiscord();
  await fake.start();
  return fake;
}

/** The Discord adapter of `app`, registered for the relay, logged in to the fake gateway and ready for dispatches. */
export async function attachDiscord(app: TestApp, timeoutMs = 20_000): Promise<DiscordAdapter> {
  const adapter = createDiscordAdapter(app.core, app.config.discord!);
  app.adapters.register(adapter);
  await adapter.start();
  const until = Date.now() + timeoutMs;
  while (!adapter.client.isReady() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  return adapter;
}

/** The next interaction callback (the first answer to an interaction) after request `from`. */
export const callback = (fake: FakeDiscord, from: number, pred: (r: Req) => boolean = () => true): Promise<Req> => fake.waitFor((r) => /\/callback$/.test(r.path) && pred(r), from);

/** A slash command as INTERACTION_CREATE carries it. */
export function slash(fake: FakeDiscord, name: string, options: { name: string; type: number; value: unknown; focused?: boolean }[] = [], userId?: string): Record<string, unknown> {
  return fake.interaction(2, { id: nextId(), name, type: 1, options }, userId ? { userId } : {});
}

/** A button (or, with `values`, a select) pressed on a message of the bot's, ephemeral or not. */
export function component(fake: FakeDiscord, customId: string, { values, userId, ephemeral = false }: { values?: string[]; userId?: string; ephemeral?: boolean } = {}): Record<string, unknown> {
  return fake.interaction(3, { custom_id: customId, component_type: values ? 3 : 2, ...(values ? { values } : {}) }, { ...(userId ? { userId } : {}), message: message('前のメッセージ', ephemeral ? { flags: EPHEMERAL } : {}) });
}

/** The custom_id of the first component of a request that `pred` picks. */
export function customId(r: Req, pred: (c: Record<string, unknown>) => boolean): string {
  const c = reqComponents(r).find(pred);
  if (!c) throw new Error(`no component in ${JSON.stringify(reqComponents(r))}`);
  return String(c.custom_id);
}
/** Picks the button whose label contains `label`. */
export const labelled = (label: string) => (c: Record<string, unknown>) => String(c.label ?? '').includes(label);
/** Picks the select whose custom_id starts with `action`. */
export const selectOf = (action: string) => (c: Record<string, unknown>) => c.type === 3 && String(c.custom_id).startsWith(action);

/** A message in the server's channel that mentions the bot, as MESSAGE_CREATE carries it. */
export function mention(text: string, userId = '920000000000000001'): Record<string, unknown> {
  return { ...message(`<@${BOT_ID}> ${text}`, { author: user(userId), guild_id: GUILD_ID, mentions: [{ ...user(BOT_ID, 'pfbot'), bot: true }] }), channel_id: CHANNEL_ID };
}

/** A test app with only Discord: the fake, the app (with `env` on top of Discord's settings), the adapter. */
export interface DiscordBot {
  fake: FakeDiscord;
  app: TestApp;
  adapter: DiscordAdapter;
  stop(): Promise<void>;
}

export async function startDiscordBot(env: Record<string, string> = {}): Promise<DiscordBot> {
  const fake = await startFakeDiscord();
  const app = await testApp({ ...discordEnv(fake), ...env });
  const adapter = await attachDiscord(app);
  return {
    fake,
    app,
    adapter,
    async stop() {
      await adapter.stop();
      await fake.stop();
      app.dispose();
    },
  };
}
