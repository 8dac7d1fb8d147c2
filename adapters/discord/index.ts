/**
 * The Discord adapter (discord.js v14). Slash commands, buttons, select menus and modals come in
 * as interactions; mentions and DMs as messages. Discord needs an answer within 3 s
 * (https://discord.com/developers/docs/interactions/receiving-and-responding): slow work is
 * deferred at once and followed up. No privileged intent is used: a bot receives the text of
 * messages that mention it and of DMs without Message Content.
 */
import {
  Client, Events, GatewayIntentBits, Partials,
  type AutocompleteInteraction, type ButtonInteraction, type ChatInputCommandInteraction, type Interaction, type Message, type ModalSubmitInteraction,
  type StringSelectMenuInteraction,
} from 'discord.js';
import type { App } from '../../src/app.js';
import type { Actor, Effect, EngineResult, InboundEvent, Reply } from '../../src/engine/types.js';
import { COMMANDS, type CommandName } from '../../src/engine/types.js';
import { M } from '../../src/messages.js';
import { commandArgs } from './commands.js';
import { MAX_AUTOCOMPLETE, cut } from './limits.js';
import { decodeCustomId, decodeModalId, renderMessages, renderModal, type DiscordMessage } from './render.js';

export interface DiscordBot {
  client: Client;
  start(): Promise<void>;
  stop(): Promise<void>;
  deliver(effect: Effect): Promise<void>;
}

/** After this long without an engine result, an interaction is deferred (Discord allows 3 s). */
const DEFER_AFTER_MS = 1500;

type Replyable = ChatInputCommandInteraction | ButtonInteraction | StringSelectMenuInteraction | ModalSubmitInteraction;

export function createDiscordBot(app: App): DiscordBot {
  const { config, engine, logger } = app;
  const discord = config.discord;
  if (!discord) throw new Error('Discord is not configured');
  const log = logger.child({ adapter: 'discord' });
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

  const actorOf = (i: Interaction | Message, user: { id: string; username: string; globalName?: string | null }): Actor => ({
    platform: 'discord',
    userId: user.id,
    displayName: user.globalName ?? user.username,
    workspaceId: i.guildId ?? 'dm',
    channelId: i.channelId ?? user.id,
    isDirect: !i.guildId,
  });

  function withFile(msg: DiscordMessage, reply: Reply, last: boolean): Record<string, unknown> {
    // an image's alt text is the attachment's description
    return { ...msg, ...(last && reply.file ? { files: [{ attachment: reply.file.data, name: reply.file.name, ...(reply.file.alt ? { description: reply.file.alt } : {}) }] } : {}) };
  }

  /** Sends the replies of an engine result through an interaction (reply, edit or follow-up). */
  async function respond(i: Replyable, result: EngineResult): Promise<void> {
    for (const reply of result.replies) {
      if (reply.form && !i.deferred && !i.replied && !i.isModalSubmit()) {
        await i.showModal(renderModal(reply.form) as never);
        continue;
      }
      const messages = renderMessages(reply);
      for (const [n, msg] of messages.entries()) {
        const payload = withFile(msg, reply, n === messages.length - 1);
        if (!i.deferred && !i.replied) await i.reply(payload as never);
        else if (i.deferred && !i.replied) await i.editReply(payload as never);
        else await i.followUp(payload as never);
      }
    }
    for (const effect of result.effects) await deliver(effect);
  }

  /** Runs the engine; if it is slow, defers the interaction so Discord does not time out. */
  async function handleInteraction(i: Replyable, event: InboundEvent, deferNow = false): Promise<void> {
    if (deferNow) await i.deferReply();
    const pending = engine.handle(event);
    const quick = deferNow ? null : await Promise.race([pending, new Promise<null>((r) => setTimeout(() => r(null), DEFER_AFTER_MS))]);
    if (!quick && !i.deferred && !i.replied) await i.deferReply();
    const result = quick ?? (await pending);
    if (result.duplicate) return;
    await respond(i, result);
  }

  async function onCommand(i: ChatInputCommandInteraction): Promise<void> {
    const name = i.commandName;
    if (!(COMMANDS as readonly string[]).includes(name)) {
      await i.reply({ content: M.unknownCommand(`/${name}`), flags: 64 });
      return;
    }
    const read = (opt: string): string | number | undefined => {
      const o = i.options.get(opt);
      return o?.value === undefined ? undefined : (o.value as string | number);
    };
    const args = commandArgs(name, read);
    const actor = actorOf(i, i.user);
    const attachment = i.options.getAttachment('ファイル');
    if (attachment && name === 'pf-provider') {
      await i.deferReply({ flags: 64 });
      if (attachment.size > config.maxUploadBytes) {
        await respond(i, await engine.handle({ kind: 'file', actor, purpose: 'providers_import', fileName: attachment.name, data: Buffer.alloc(config.maxUploadBytes + 1) }));
        return;
      }
      const data = await fetch(attachment.url, { signal: AbortSignal.timeout(15_000) }).then(async (r) => (r.ok ? Buffer.from(await r.arrayBuffer()) : null)).catch(() => null);
      if (!data) {
        await i.editReply({ content: 'ファイルを読み込めませんでした。もう一度お試しください。' });
        return;
      }
      await respond(i, await engine.handle({ kind: 'file', actor, purpose: 'providers_import', fileName: attachment.name, data, args, eventId: `int:${i.id}` }));
      return;
    }
    // a question goes to retrieval (and possibly a language model): defer at once
    const slow = name === 'pf' && args !== '' && !/^(管理|統計|権限|ヘルプ|help)/i.test(args);
    await handleInteraction(i, { kind: 'command', actor, command: name as CommandName, args, eventId: `int:${i.id}` }, slow);
  }

  async function onComponent(i: ButtonInteraction | StringSelectMenuInteraction): Promise<void> {
    const { action, value } = decodeCustomId(i.customId);
    const values = i.isStringSelectMenu() ? i.values : undefined;
    await handleInteraction(i, { kind: 'action', actor: actorOf(i, i.user), action, value: values?.[0] ?? value, ...(values ? { values } : {}), eventId: `int:${i.id}` });
  }

  async function onModal(i: ModalSubmitInteraction): Promise<void> {
    const decoded = decodeModalId(i.customId);
    if (!decoded) {
      await i.reply({ content: M.staleAction, flags: 64 });
      return;
    }
    const fields: Record<string, string> = {};
    for (const row of i.components) {
      for (const c of 'components' in row ? row.components : []) {
        if ('customId' in c && 'value' in c) fields[c.customId] = String(c.value);
      }
    }
    await handleInteraction(i, { kind: 'form', actor: actorOf(i, i.user), formId: decoded.formId, ...(decoded.state ? { state: decoded.state } : {}), fields, eventId: `int:${i.id}` });
  }

  async function onAutocomplete(i: AutocompleteInteraction): Promise<void> {
    const focused = i.options.getFocused(true);
    const typed = String(focused.value ?? '').normalize('NFKC').trim();
    const { kb, municipalities } = engine.services;
    let candidates: string[] = [];
    if (focused.name === '市町村') candidates = municipalities.all().map((m) => m.name);
    else if (focused.name === 'カテゴリ') candidates = kb.taxonomy.categories.flatMap((c) => [c.name, ...c.subcategories.map((s) => s.name)]);
    else if (focused.name === '条件') candidates = [...new Set([...kb.cases.flatMap((c) => [c.prefecture, c.municipality]).filter((x): x is string => Boolean(x)), ...kb.functions.map((f) => f.shortName), ...kb.caseThemes])];
    const matches = candidates.filter((c) => !typed || c.includes(typed) || (municipalities.find(typed).some((m) => m.name === c) && focused.name === '市町村'));
    await i.respond(matches.slice(0, MAX_AUTOCOMPLETE).map((c) => ({ name: cut(c, 100), value: cut(c, 100) })));
  }

  client.on(Events.InteractionCreate, async (i) => app.inFlight.run(async () => {
    try {
      if (i.isAutocomplete()) await onAutocomplete(i);
      else if (i.isChatInputCommand()) await onCommand(i);
      else if (i.isButton() || i.isStringSelectMenu()) await onComponent(i);
      else if (i.isModalSubmit()) await onModal(i);
    } catch (error) {
      log.error({ err: error }, 'インタラクションの処理に失敗しました');
      if (i.isRepliable()) {
        const body = { content: M.internalError, flags: 64 as const };
        await (i.deferred || i.replied ? i.followUp(body) : i.reply(body)).catch(() => undefined);
      }
    }
  }));

  client.on(Events.MessageCreate, async (m) => app.inFlight.run(async () => {
    try {
      if (m.author.bot || !client.user) return;
      const direct = !m.guildId;
      if (!direct && !m.mentions.users.has(client.user.id)) return;
      if (!engine.claimDelivery('discord', `msg:${m.id}`)) return;
      const text = m.content.replace(/<@!?\d+>/g, '').replace(/\s+/g, ' ').trim();
      const actor = actorOf(m, m.author);
      // the user sees the bot typing while the answer is prepared
      if ('sendTyping' in m.channel) await m.channel.sendTyping().catch(() => undefined);
      const attachment = m.attachments.first();
      let event: InboundEvent;
      if (attachment && /インポート|取り込み|取込|import/i.test(text)) {
        const data = attachment.size > config.maxUploadBytes ? Buffer.alloc(config.maxUploadBytes + 1) : await fetch(attachment.url).then(async (r) => Buffer.from(await r.arrayBuffer())).catch(() => Buffer.alloc(0));
        event = { kind: 'file', actor, purpose: 'providers_import', fileName: attachment.name, data, args: text };
      } else {
        event = { kind: 'message', actor, text };
      }
      const result = await engine.handle(event);
      let first = true;
      for (const reply of result.replies) {
        const messages = renderMessages(reply);
        for (const [n, msg] of messages.entries()) {
          const { flags: _f, ...payload } = withFile(msg, reply, n === messages.length - 1) as Record<string, unknown> & { flags?: number };
          void _f;
          if (first) await m.reply(payload as never);
          else if ('send' in m.channel) await m.channel.send(payload as never);
          first = false;
        }
      }
      for (const effect of result.effects) await deliver(effect);
    } catch (error) {
      log.error({ err: error }, 'メッセージの処理に失敗しました');
      await m.reply({ content: M.internalError, allowedMentions: { parse: [] } }).catch(() => undefined);
    }
  }));

  async function deliver(effect: Effect): Promise<void> {
    if (effect.target.platform !== 'discord') {
      await app.deliver(effect);
      return;
    }
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

  return {
    client,
    async start() {
      await client.login(discord.token);
      log.info({ user: client.user?.tag }, 'Discord にログインしました');
    },
    async stop() {
      await client.destroy();
    },
    deliver,
  };
}

export async function startDiscord(app: App): Promise<{ name: string; stop(): Promise<void> }> {
  const bot = createDiscordBot(app);
  app.registerDelivery('discord', bot.deliver);
  await bot.start();
  return { name: 'discord', stop: () => bot.stop() };
}
