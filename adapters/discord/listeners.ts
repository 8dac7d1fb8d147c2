/**
 * The Discord listeners, one named function per kind of delivery, each only parse → core → render:
 * slash commands, components (buttons, selects), modal submissions, autocomplete, and messages that
 * mention the bot or come by DM. Discord needs an answer within 3 s
 * (https://discord.com/developers/docs/interactions/receiving-and-responding): a command the core
 * calls slow is deferred at once, anything else when it has not answered after 1.5 s.
 */
import type {
  AutocompleteInteraction, ButtonInteraction, ChatInputCommandInteraction, Client, Interaction, Message, ModalSubmitInteraction, StringSelectMenuInteraction,
} from 'discord.js';
import { MessageFlags } from 'discord.js';
import { deliverResult, isCommandName, M, V, type Actor, type CompletionField, type Core, type EngineResult, type InboundEvent, type Logger, type Reply, type ReplySink } from '../../src/core.js';
import { download } from '../shared/download.js';
import { commandArgs } from './commands.js';
import { cut, MAX_AUTOCOMPLETE } from './limits.js';
import { decodeCustomId, decodeModalId, renderMessages, renderModal, type DiscordMessage } from './render.js';

export interface ListenerDeps {
  core: Core;
  client: Client;
  log: Logger;
  /** Hosts an attachment may be downloaded from (Discord's CDN, and the configured REST host). */
  fileHosts: readonly string[];
}

/** After this long without an engine result, an interaction is deferred (Discord allows 3 s). */
const DEFER_AFTER_MS = 1500;

/** The core's autocomplete field of each command option that has autocomplete. */
const AUTOCOMPLETE_FIELDS: Record<string, CompletionField> = { 市町村: 'municipality', カテゴリ: 'category', 条件: 'case-filter' };

type Replyable = ChatInputCommandInteraction | ButtonInteraction | StringSelectMenuInteraction | ModalSubmitInteraction;

const actorOf = (i: Interaction | Message, user: { id: string; username: string; globalName?: string | null }): Actor => ({
  platform: 'discord',
  userId: user.id,
  displayName: user.globalName ?? user.username,
  workspaceId: i.guildId ?? 'dm',
  channelId: i.channelId ?? user.id,
  isDirect: !i.guildId,
});

/** A rendered message, with the reply's file attached to its last message. */
function withFile(msg: DiscordMessage, reply: Reply, last: boolean): Record<string, unknown> {
  // an image's alt text is the attachment's description
  return { ...msg, ...(last && reply.file ? { files: [{ attachment: reply.file.data, name: reply.file.name, ...(reply.file.alt ? { description: reply.file.alt } : {}) }] } : {}) };
}

/**
 * Whether a reply can replace the message a component (or a modal opened from one) is on: Discord's
 * UPDATE_MESSAGE (callback type 7) keeps the message's visibility, so only a reply of the same
 * visibility replaces it; another one is posted as a new message.
 */
function canUpdate(i: Replyable, reply: Reply): i is ButtonInteraction | StringSelectMenuInteraction | ModalSubmitInteraction {
  if (!reply.replaceOriginal || i.deferred || i.replied) return false;
  const fromMessage = i.isButton() || i.isStringSelectMenu() || (i.isModalSubmit() && i.isFromMessage());
  if (!fromMessage || !i.message) return false;
  return i.message.flags.has(MessageFlags.Ephemeral) === Boolean(reply.ephemeral);
}

/** Replies through an interaction: its reply (or the update of the message acted on), the edit of a deferred reply, then follow-ups; a form opens as a modal while it still can. */
function interactionSink(i: Replyable): ReplySink {
  return {
    async post(reply) {
      const messages = renderMessages(reply);
      for (const [n, msg] of messages.entries()) {
        const payload = withFile(msg, reply, n === messages.length - 1);
        if (n === 0 && canUpdate(i, reply)) {
          // navigation and flow steps edit the message in place (its old buttons go with it)
          const { flags: _f, ...update } = payload as Record<string, unknown> & { flags?: number };
          void _f;
          await (i as ButtonInteraction).update(update as never);
        } else if (!i.deferred && !i.replied) await i.reply(payload as never);
        else if (i.deferred && !i.replied) await i.editReply(payload as never);
        else await i.followUp(payload as never);
      }
    },
    async openForm(form) {
      if (i.deferred || i.replied || i.isModalSubmit()) return false;
      await i.showModal(renderModal(form) as never);
      return true;
    },
  };
}

/** Discord's codes for "the bot cannot post here": Missing Access, Missing Permissions, Unknown Channel. */
const CHANNEL_ERRORS = new Set([50001, 50013, 10003]);
/** Channels already reported, so the log says it once per channel. */
const reported = new Set<string>();

/**
 * Replies to a message: the first as a reply to it, the rest in its channel. Messages cannot be
 * ephemeral, so a private reply in a server goes to the user's DM with a short note in the channel;
 * a channel that refuses the bot gets the reply by DM with what to do.
 */
function messageSink(m: Message, log: Logger): ReplySink {
  let noted = false;
  const dm = (payload: Record<string, unknown>): Promise<unknown> => m.author.send(payload as never);
  const inChannel = async (payload: Record<string, unknown>, asReply: boolean): Promise<void> => {
    try {
      if (asReply) await m.reply(payload as never);
      else if ('send' in m.channel) await m.channel.send(payload as never);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (!m.guildId || typeof code !== 'number' || !CHANNEL_ERRORS.has(code)) throw error;
      if (!reported.has(m.channelId)) {
        reported.add(m.channelId);
        log.warn({ channel: m.channelId, code }, 'チャンネルに投稿できないため、ダイレクトメッセージで返信します（ボットの権限を確認してください）');
      }
      await dm({ ...payload, content: [V.inviteBotDiscord, payload.content].filter(Boolean).join('\n') });
    }
  };
  return {
    async post(reply, first) {
      const messages = renderMessages(reply);
      const toDm = Boolean(reply.ephemeral) && Boolean(m.guildId);
      for (const [n, msg] of messages.entries()) {
        const { flags: _f, ...payload } = withFile(msg, reply, n === messages.length - 1) as Record<string, unknown> & { flags?: number };
        void _f;
        if (toDm) {
          await dm(payload);
          if (!noted) {
            noted = true;
            await m.reply({ content: V.sentByDm, allowedMentions: { parse: [], repliedUser: false } }).catch(() => undefined);
          }
        } else await inChannel(payload, first && n === 0);
      }
    },
  };
}

function send(deps: ListenerDeps, result: EngineResult, sink: ReplySink): Promise<void> {
  return deliverResult(result, sink, (effect) => deps.core.relay(effect), deps.log);
}

/** Runs the core; if it is slow, defers the interaction so Discord does not time out. */
async function answerInteraction(deps: ListenerDeps, i: Replyable, event: InboundEvent, deferNow = false): Promise<void> {
  if (deferNow) await i.deferReply();
  const pending = deps.core.handle(event);
  const quick = deferNow ? null : await Promise.race([pending, new Promise<null>((r) => setTimeout(() => r(null), DEFER_AFTER_MS))]);
  // a late deferral cannot know the reply's visibility yet: it errs on the private side (a flow's
  // step must not turn public); on an ephemeral message it defers the update of that message
  if (!quick && !i.deferred && !i.replied) {
    if ((i.isButton() || i.isStringSelectMenu()) && i.message.flags.has(MessageFlags.Ephemeral)) await i.deferUpdate();
    else await i.deferReply({ flags: MessageFlags.Ephemeral });
  }
  const result = quick ?? (await pending);
  if (result.duplicate) return;
  await send(deps, result, interactionSink(i));
}

/** A slash command: its options become the neutral argument line; a file option uploads for the purpose the core gives that command. */
export async function handleCommand(deps: ListenerDeps, i: ChatInputCommandInteraction): Promise<void> {
  const { core } = deps;
  const name = i.commandName;
  if (!isCommandName(name)) {
    await i.reply({ content: M.unknownSlashCommand(`/${name}`), flags: 64 });
    return;
  }
  const read = (opt: string): string | number | undefined => {
    const o = i.options.get(opt);
    return o?.value === undefined ? undefined : (o.value as string | number);
  };
  const args = commandArgs(name, read);
  const actor = actorOf(i, i.user);
  const attachment = i.options.getAttachment('ファイル');
  const purpose = attachment ? core.commandFilePurpose(name) : null;
  if (attachment && purpose) {
    await i.deferReply({ flags: 64 });
    // check before fetch: nothing is downloaded for someone who may not upload (the core says why)
    if (!core.mayUpload(actor, purpose)) {
      await send(deps, await core.handle({ kind: 'file', actor, purpose, fileName: attachment.name, data: Buffer.alloc(0), args, eventId: `int:${i.id}` }), interactionSink(i));
      return;
    }
    const got = attachment.size > core.limits.maxUploadBytes ? ({ ok: false, reason: 'too-large' } as const) : await download(attachment.url, { hosts: deps.fileHosts, maxBytes: core.limits.maxUploadBytes });
    if (!got.ok && got.reason === 'too-large') {
      await send(deps, await core.handle({ kind: 'file', actor, purpose, fileName: attachment.name, data: Buffer.alloc(core.limits.maxUploadBytes + 1) }), interactionSink(i));
      return;
    }
    if (!got.ok) {
      await i.editReply({ content: M.fileReadFailedTryAgain });
      return;
    }
    await send(deps, await core.handle({ kind: 'file', actor, purpose, fileName: attachment.name, data: got.data, args, eventId: `int:${i.id}` }), interactionSink(i));
    return;
  }
  await answerInteraction(deps, i, { kind: 'command', actor, command: name, args, eventId: `int:${i.id}` }, core.isSlow(name, args));
}

/** A button or a select: the neutral action and value(s) from its custom id. */
export async function handleComponent(deps: ListenerDeps, i: ButtonInteraction | StringSelectMenuInteraction): Promise<void> {
  const { action, value } = decodeCustomId(i.customId);
  const values = i.isStringSelectMenu() ? i.values : undefined;
  await answerInteraction(deps, i, { kind: 'action', actor: actorOf(i, i.user), action, value: values?.[0] ?? value, ...(values ? { values } : {}), eventId: `int:${i.id}` });
}

/** A submitted modal: the neutral form id and state from its custom id, its text inputs as fields. */
export async function handleModal(deps: ListenerDeps, i: ModalSubmitInteraction): Promise<void> {
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
  await answerInteraction(deps, i, { kind: 'form', actor: actorOf(i, i.user), formId: decoded.formId, ...(decoded.state ? { state: decoded.state } : {}), fields, eventId: `int:${i.id}` });
}

/** Autocomplete: the core's candidates for the option's field. */
export async function handleAutocomplete(deps: ListenerDeps, i: AutocompleteInteraction): Promise<void> {
  const focused = i.options.getFocused(true);
  const field = AUTOCOMPLETE_FIELDS[focused.name];
  const matches = field ? deps.core.complete(field, String(focused.value ?? '')) : [];
  await i.respond(matches.slice(0, MAX_AUTOCOMPLETE).map((c) => ({ name: cut(c, 100), value: cut(c, 100) })));
}

/** Any interaction: routed by kind; a failure is logged and the user told politely. */
export async function handleInteraction(deps: ListenerDeps, i: Interaction): Promise<void> {
  try {
    if (i.isAutocomplete()) await handleAutocomplete(deps, i);
    else if (i.isChatInputCommand()) await handleCommand(deps, i);
    else if (i.isButton() || i.isStringSelectMenu()) await handleComponent(deps, i);
    else if (i.isModalSubmit()) await handleModal(deps, i);
  } catch (error) {
    deps.log.error({ err: error }, 'インタラクションの処理に失敗しました');
    if (i.isRepliable()) {
      const body = { content: M.internalError, flags: 64 as const };
      await (i.deferred || i.replied ? i.followUp(body) : i.reply(body)).catch(() => undefined);
    }
  }
}

/** A message that mentions the bot, or a DM: claimed once, the bot shown typing, then answered (a CSV sent to import becomes a file event). */
export async function handleMessage(deps: ListenerDeps, m: Message): Promise<void> {
  const { core, client } = deps;
  try {
    if (m.author.bot || !client.user) return;
    const direct = !m.guildId;
    if (!direct && !m.mentions.users.has(client.user.id)) return;
    if (!core.claimDelivery('discord', `msg:${m.id}`)) return;
    const said = m.content.replace(/<@!?\d+>/g, '').replace(/\s+/g, ' ').trim();
    const actor = actorOf(m, m.author);
    // the user sees the bot typing while the answer is prepared
    if ('sendTyping' in m.channel) await m.channel.sendTyping().catch(() => undefined);
    const attachment = m.attachments.first();
    const purpose = attachment ? core.fileRequest(said) : null;
    let event: InboundEvent;
    if (attachment && purpose) {
      let data: Buffer = Buffer.alloc(0);
      // check before fetch: nothing is downloaded for someone who may not upload (the core says why)
      if (core.mayUpload(actor, purpose)) {
        const got = attachment.size > core.limits.maxUploadBytes ? ({ ok: false, reason: 'too-large' } as const) : await download(attachment.url, { hosts: deps.fileHosts, maxBytes: core.limits.maxUploadBytes });
        data = got.ok ? got.data : got.reason === 'too-large' ? Buffer.alloc(core.limits.maxUploadBytes + 1) : Buffer.alloc(0);
      }
      event = { kind: 'file', actor, purpose, fileName: attachment.name, data, args: said };
    } else {
      event = { kind: 'message', actor, text: said };
    }
    const result = await core.handle(event);
    // a failed handling gives the delivery back, so a redelivery is answered instead of dropped
    if (result.failed) core.releaseDelivery('discord', `msg:${m.id}`);
    await send(deps, result, messageSink(m, deps.log));
  } catch (error) {
    deps.log.error({ err: error }, 'メッセージの処理に失敗しました');
    await m.reply({ content: M.internalError, allowedMentions: { parse: [] } }).catch(() => undefined);
  }
}
