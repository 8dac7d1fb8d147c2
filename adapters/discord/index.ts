/**
 * The Discord adapter (discord.js v14): the gateway client, the listeners (listeners.ts: parse →
 * core → render), the renderer (render.ts) and the command registration (register.ts). No
 * privileged intent is used: a bot receives the text of messages that mention it and of DMs
 * without Message Content.
 */
import { Client, Events, GatewayIntentBits, Partials } from 'discord.js';
import type { Adapter, Core, DiscordConfig, Effect, Logger } from '../../src/core.js';
import { handleInteraction, handleMessage, type ListenerDeps } from './listeners.js';
import { discordFileHosts } from '../shared/download.js';
import { renderMessages } from './render.js';

export interface DiscordAdapter extends Adapter {
  client: Client;
}

export function createDiscordAdapter(core: Core, discord: DiscordConfig): DiscordAdapter {
  const log = core.logger.child({ adapter: 'discord' });
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages],
    partials: [Partials.Channel],
    ...(discord.apiUrl ? { rest: { api: discord.apiUrl } } : {}),
  });

  client.on(Events.ShardDisconnect, (event, shard) => log.error({ shard, code: event.code }, 'Discord のゲートウェイから切断されました（再接続できません）'));
  client.on(Events.ShardReconnecting, (shard) => log.warn({ shard }, 'Discord のゲートウェイから切断されました。再接続しています'));
  client.on(Events.ShardResume, (shard, replayed) => log.info({ shard, replayed }, 'Discord のゲートウェイに再接続しました'));
  client.on(Events.ShardReady, (shard) => log.info({ shard }, 'Discord のゲートウェイに接続しました'));
  client.on(Events.ShardError, (error, shard) => log.error({ err: error, shard }, 'Discord のゲートウェイでエラーが起きました'));
  client.on(Events.Error, (error) => log.error({ err: error }, 'Discord クライアントでエラーが起きました'));

  const deps: ListenerDeps = { core, client, log, fileHosts: discordFileHosts(discord.apiUrl) };
  client.on(Events.InteractionCreate, (i) => core.track(() => handleInteraction(deps, i)));
  client.on(Events.MessageCreate, (m) => core.track(() => handleMessage(deps, m)));

  return {
    platform: 'discord',
    client,
    async start() {
      await client.login(discord.token);
      log.info({ user: client.user?.tag }, 'Discord にログインしました');
    },
    async stop() {
      await client.destroy();
    },
    deliver: (effect) => sendEffect(client, effect, log),
  };
}

/** An effect addressed to Discord: sent to its channel, or to the user's DM. */
async function sendEffect(client: Client, effect: Effect, log: Logger): Promise<void> {
  try {
    const channel = effect.target.channelId ? await client.channels.fetch(effect.target.channelId) : effect.target.userId ? await (await client.users.fetch(effect.target.userId)).createDM() : null;
    if (!channel || !('send' in channel)) throw new Error('送り先のチャンネルが見つかりません');
    for (const msg of renderMessages(effect.reply)) {
      const { flags: _f, ...payload } = msg;
      void _f;
      await channel.send(payload as never);
    }
  } catch (error) {
    log.error({ err: error, reason: effect.reason }, '通知を送れませんでした');
  }
}
