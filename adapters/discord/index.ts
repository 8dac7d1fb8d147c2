/**
 * The Discord adapter (discord.js v14): the gateway client, the listeners (listeners.ts: parse →
 * core → render), the renderer (render.ts) and the command registration (register.ts). No
 * privileged intent is used: a bot receives the text of messages that mention it and of DMs
 * without Message Content.
 */
import { Client, Events, GatewayIntentBits, Partials } from 'discord.js';
import { STARTUP, StartupError, type Adapter, type Core, type DiscordConfig, type Effect, type Logger } from '../../src/core.js';
import { handleInteraction, handleMessage, type ListenerDeps } from './listeners.js';
import { discordFileHosts } from '../shared/download.js';
import { renderMessages } from './render.js';

export interface DiscordAdapter extends Adapter {
  client: Client;
}

export interface DiscordAdapterOptions {
  /** How long start() may try to log in before it fails (STARTUP_TIMEOUT_MS). */
  startupTimeoutMs?: number;
}

const GATEWAY = 'discord.gateway';

export function createDiscordAdapter(core: Core, discord: DiscordConfig, options: DiscordAdapterOptions = {}): DiscordAdapter {
  const log = core.logger.child({ adapter: 'discord' });
  const budgetMs = options.startupTimeoutMs ?? 60_000;
  let stopping = false;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages],
    partials: [Partials.Channel],
    ...(discord.apiUrl ? { rest: { api: discord.apiUrl } } : {}),
  });

  // each change also goes to /health (`discord.gateway`)
  client.on(Events.ShardDisconnect, (event, shard) => {
    log.error({ shard, code: event.code }, 'Discord のゲートウェイから切断されました（再接続できません）');
    if (!stopping) core.connection(GATEWAY, 'down', `${STARTUP.healthDisconnected}（${event.code}）`);
  });
  client.on(Events.ShardReconnecting, (shard) => {
    log.warn({ shard }, 'Discord のゲートウェイから切断されました。再接続しています');
    if (!stopping) core.connection(GATEWAY, 'reconnecting', STARTUP.healthReconnecting);
  });
  client.on(Events.ShardResume, (shard, replayed) => {
    log.info({ shard, replayed }, 'Discord のゲートウェイに再接続しました');
    core.connection(GATEWAY, 'ready');
  });
  client.on(Events.ShardReady, (shard) => {
    log.info({ shard }, 'Discord のゲートウェイに接続しました');
    core.connection(GATEWAY, 'ready');
  });
  client.on(Events.ShardError, (error, shard) => log.error({ err: error, shard }, 'Discord のゲートウェイでエラーが起きました'));
  client.on(Events.Error, (error) => log.error({ err: error }, 'Discord クライアントでエラーが起きました'));

  const deps: ListenerDeps = { core, client, log, fileHosts: discordFileHosts(discord.apiUrl) };
  client.on(Events.InteractionCreate, (i) => core.track(() => handleInteraction(deps, i)));
  client.on(Events.MessageCreate, (m) => core.track(() => handleMessage(deps, m)));

  return {
    platform: 'discord',
    client,
    async start() {
      core.connection(GATEWAY, 'starting', STARTUP.healthStarting);
      try {
        await withinBudget(client.login(discord.token), budgetMs);
      } catch (error) {
        await client.destroy().catch(() => undefined);
        const refused = (error as { code?: string }).code === 'TokenInvalid';
        const message = refused ? STARTUP.discordTokenRefused : STARTUP.discordUnreachable(Math.round(budgetMs / 1000), (error as Error).message);
        core.connection(GATEWAY, 'down', refused ? STARTUP.healthAuthFailed('TokenInvalid') : message);
        throw new StartupError(message, { cause: error });
      }
      if (client.isReady()) core.connection(GATEWAY, 'ready');
      log.info({ user: client.user?.tag }, 'Discord にログインしました');
    },
    async stop() {
      stopping = true;
      await client.destroy();
    },
    deliver: (effect) => sendEffect(client, effect, log),
  };
}

/** Rejects when the promise has not settled within the budget. */
async function withinBudget<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${Math.round(ms / 1000)} s`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
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
