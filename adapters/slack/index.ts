/**
 * The Slack adapter (@slack/bolt): Socket Mode when SLACK_APP_TOKEN is set (no inbound
 * connections, as local-government networks need), HTTP otherwise (events, slash commands and
 * interactivity at Bolt's default /slack/events on PORT, signing-secret verified). It only
 * translates: Slack payloads in, neutral events to the engine, Block Kit out.
 *
 * Slack requires an ack within 3 s (https://api.slack.com/interactivity/handling#acknowledgment_response):
 * every command, action and view submission is acknowledged first and handled after; a command
 * that may take a while (a question) says so in its ack. Retried deliveries are processed once
 * (the engine's event ledger, keyed by event_id or trigger_id).
 */
import { App as BoltApp, HTTPReceiver, SocketModeReceiver, type RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { IncomingMessage, ServerResponse, Server } from 'node:http';
import type { App } from '../../src/app.js';
import type { Effect, EngineResult, Form, InboundEvent, Reply } from '../../src/engine/types.js';
import { M } from '../../src/messages.js';
import { boltLogger } from './logger.js';
import { actionEvent, actorFromMessage, BlockActionPayload, CommandPayload, commandName, MessageEvent, stripMentions, ViewSubmissionPayload } from './inbound.js';
import { renderMessages, renderModal, type FormOrigin, type SlackMessage } from './render.js';

/** How the replies to one inbound event reach Slack. */
interface Sink {
  post(message: SlackMessage, reply: Reply, first: boolean): Promise<void>;
  form?(form: Form): Promise<void>;
  file(file: NonNullable<Reply['file']>): Promise<void>;
}

export interface SlackBot {
  bolt: BoltApp;
  /** The HTTP server in HTTP mode (its port may be 0 in tests). */
  server?: Server;
  start(): Promise<void>;
  stop(): Promise<void>;
  deliver(effect: Effect): Promise<void>;
}

const QUESTION_COMMAND = (name: string, args: string): boolean => name === 'pf' && args.trim() !== '' && !/^(管理|統計|権限|分析|空白|ヘルプ|help)/i.test(args.trim());

export function createSlackBot(app: App, options: { port?: number } = {}): SlackBot {
  const { config, engine, logger } = app;
  const slack = config.slack;
  if (!slack) throw new Error('Slack is not configured');
  const log = logger.child({ adapter: 'slack' });
  const clientOptions = slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {};
  const health = (_req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ status: 'ok', passages: app.assistant.index.manifest.passages, uptimeSeconds: Math.round(process.uptime()) }));
  };
  const receiver = slack.appToken
    ? new SocketModeReceiver({ appToken: slack.appToken, logger: boltLogger(logger), installerOptions: { clientOptions } })
    : new HTTPReceiver({
        signingSecret: slack.signingSecret!,
        port: options.port ?? slack.port,
        logger: boltLogger(logger),
        customRoutes: [{ path: '/health', method: ['GET'], handler: health }],
      });
  const bolt = new BoltApp({ token: slack.botToken, receiver, clientOptions, logger: boltLogger(logger) });
  const client = bolt.client;

  bolt.error(async (error) => {
    log.error({ err: error }, 'Slack の処理でエラーが起きました');
  });

  async function send(result: EngineResult, sink: Sink): Promise<void> {
    let first = true;
    for (const reply of result.replies) {
      if (reply.form && sink.form) {
        await sink.form(reply.form).catch(async (error: unknown) => {
          log.warn({ err: error }, 'モーダルを開けませんでした');
          await sink.post(renderMessages({ blocks: [{ type: 'text', text: '入力画面を開けませんでした。このまま文章を送って回答してください。' }], ephemeral: true })[0]!, reply, first);
        });
        continue;
      }
      for (const message of renderMessages(reply)) {
        await sink.post(message, reply, first);
        first = false;
      }
      if (reply.file) await sink.file(reply.file);
    }
    for (const effect of result.effects) await deliver(effect);
  }

  async function deliver(effect: Effect): Promise<void> {
    if (effect.target.platform !== 'slack') {
      await app.deliver(effect);
      return;
    }
    const channel = effect.target.channelId ?? effect.target.userId;
    if (!channel) return;
    for (const m of renderMessages(effect.reply)) {
      await client.chat
        .postMessage({ channel, ...(effect.target.threadId ? { thread_ts: effect.target.threadId } : {}), text: m.text, blocks: m.blocks as never })
        .catch((error: unknown) => log.error({ err: error, reason: effect.reason }, '通知を送れませんでした'));
    }
  }

  const uploader = (channel: string, thread?: string) => async (file: NonNullable<Reply['file']>): Promise<void> => {
    // an image carries its alt text (files.getUploadURLExternal), read by screen readers in Slack
    const args = { channel_id: channel, ...(thread ? { thread_ts: thread } : {}), file: file.data, filename: file.name, ...(file.comment ? { initial_comment: file.comment } : {}), ...(file.alt ? { alt_text: file.alt } : {}) };
    await client.files.uploadV2(args as never);
  };

  function responseSink(respond: RespondFn | undefined, web: WebClient, channel: string, user: string, triggerId?: string, thread?: string): Sink {
    const upload = uploader(channel, thread);
    return {
      async post(message, reply) {
        if (respond) {
          await respond({ response_type: reply.ephemeral ? 'ephemeral' : 'in_channel', replace_original: Boolean(reply.replaceOriginal), text: message.text, blocks: message.blocks as never });
        } else if (reply.ephemeral && !channel.startsWith('D')) {
          await web.chat.postEphemeral({ channel, user, text: message.text, blocks: message.blocks as never, ...(thread ? { thread_ts: thread } : {}) });
        } else {
          await web.chat.postMessage({ channel, text: message.text, blocks: message.blocks as never, ...(thread ? { thread_ts: thread } : {}) });
        }
      },
      ...(triggerId
        ? {
            async form(form: Form) {
              await web.views.open({ trigger_id: triggerId, view: renderModal(form, { channel, ...(thread ? { thread } : {}) }) as never });
            },
          }
        : {}),
      async file(file) {
        await upload(file).catch(async (error: unknown) => {
          log.warn({ err: error }, 'ファイルを送れませんでした');
          const note = renderMessages({ blocks: [{ type: 'text', text: 'ファイルを送れませんでした。ボットをこのチャンネルに追加するか、ボットとのダイレクトメッセージでお試しください。' }], ephemeral: true })[0]!;
          if (respond) await respond({ response_type: 'ephemeral', text: note.text, blocks: note.blocks as never });
        });
      },
    };
  }

  // Retried deliveries and duplicates: claimed once by the engine's ledger (event_id, or the
  // trigger_id of a command or action); a duplicate is acknowledged and dropped.
  const eventKey = (body: Record<string, unknown>): string | undefined => (typeof body.event_id === 'string' ? body.event_id : typeof body.trigger_id === 'string' ? body.trigger_id : undefined);

  const tracked = app.inFlight;
  bolt.command(/^\/pf(-[a-z]+)?$/, async ({ command, ack, respond }) => tracked.run(async () => {
    const parsed = CommandPayload.safeParse(command);
    const name = parsed.success ? commandName(parsed.data.command) : null;
    if (!parsed.success || !name) {
      await ack({ response_type: 'ephemeral', text: M.unknownCommand(String((command as { command?: string }).command ?? '')) });
      return;
    }
    const c = parsed.data;
    await ack(QUESTION_COMMAND(name, c.text) ? { response_type: 'ephemeral', text: M.thinking } : undefined);
    const event: InboundEvent = {
      kind: 'command',
      actor: { platform: 'slack', userId: c.user_id, ...(c.user_name ? { displayName: c.user_name } : {}), workspaceId: c.team_id, channelId: c.channel_id, isDirect: c.channel_id.startsWith('D') },
      command: name,
      args: c.text,
      ...(c.trigger_id ? { eventId: `cmd:${c.trigger_id}` } : {}),
    };
    const result = await engine.handle(event);
    if (result.duplicate) return;
    await send(result, responseSink(respond, client, c.channel_id, c.user_id, c.trigger_id));
  }));

  bolt.action(/.*/, async ({ ack, body, respond }) => tracked.run(async () => {
    await ack();
    const parsed = BlockActionPayload.safeParse(body);
    if (!parsed.success) {
      log.warn({ issues: parsed.error.issues.length }, '知らない形のアクションを受け取りました');
      return;
    }
    const p = parsed.data;
    const channel = p.channel?.id ?? p.user.id;
    const thread = p.container?.thread_ts ?? p.message?.thread_ts;
    const { action, value, values } = actionEvent(p);
    const result = await engine.handle({
      kind: 'action',
      actor: { platform: 'slack', userId: p.user.id, ...(p.user.name ? { displayName: p.user.name } : {}), workspaceId: p.team?.id ?? p.user.team_id ?? '', channelId: channel, ...(thread ? { threadId: thread } : {}), isDirect: channel.startsWith('D') },
      action,
      value,
      ...(values ? { values } : {}),
      ...(p.trigger_id ? { eventId: `act:${p.trigger_id}` } : {}),
    });
    if (result.duplicate) return;
    await send(result, responseSink(respond, client, channel, p.user.id, p.trigger_id, thread));
  }));

  bolt.view('pf-form', async ({ ack, body }) => tracked.run(async () => {
    await ack();
    const parsed = ViewSubmissionPayload.safeParse(body);
    if (!parsed.success) return;
    const p = parsed.data;
    let origin: Partial<FormOrigin> = {};
    try {
      origin = JSON.parse(p.view.private_metadata) as Partial<FormOrigin>;
    } catch {
      origin = {};
    }
    if (!origin.formId || !origin.channel) return;
    const fields = Object.fromEntries(Object.entries(p.view.state.values).map(([blockId, el]) => [blockId, el.value?.value ?? '']));
    const result = await engine.handle({
      kind: 'form',
      actor: { platform: 'slack', userId: p.user.id, workspaceId: p.team?.id ?? origin.team ?? '', channelId: origin.channel, ...(origin.thread ? { threadId: origin.thread } : {}), isDirect: origin.channel.startsWith('D') },
      formId: origin.formId,
      ...(origin.state ? { state: origin.state } : {}),
      fields,
      ...(typeof (body as { view?: { id?: string } }).view?.id === 'string' ? { eventId: `view:${(body as { view: { id: string; hash?: string } }).view.id}:${(body as { view: { hash?: string } }).view.hash ?? ''}` } : {}),
    });
    if (result.duplicate) return;
    await send(result, responseSink(undefined, client, origin.channel, p.user.id, undefined, origin.thread));
  }));

  /** A mention in a channel or a direct message: answered in the thread (or the DM). */
  async function onMessage(raw: unknown, body: Record<string, unknown>, mention: boolean): Promise<void> {
    const parsed = MessageEvent.safeParse(raw);
    if (!parsed.success || parsed.data.bot_id) return;
    const e = parsed.data;
    if (e.subtype && e.subtype !== 'file_share') return;
    const actor = actorFromMessage(e, typeof body.team_id === 'string' ? body.team_id : '');
    const text = mention ? stripMentions(e.text) : e.text;
    const eventId = eventKey(body);
    // a retried delivery is dropped before anything shows (not even the working note)
    if (eventId && !engine.claimDelivery('slack', eventId)) return;
    const thread = actor.threadId;
    let event: InboundEvent;
    if (e.files?.length && /インポート|取り込み|取込|import/i.test(text)) {
      const f = e.files[0]!;
      if ((f.size ?? 0) > config.maxUploadBytes) {
        event = { kind: 'file', actor, purpose: 'providers_import', fileName: f.name ?? 'upload.csv', data: Buffer.alloc(config.maxUploadBytes + 1) };
      } else {
        const data = await downloadFile(f.url_private);
        if (!data) {
          await client.chat.postMessage({ channel: e.channel, text: 'ファイルを読み込めませんでした。もう一度送ってください。', ...(thread ? { thread_ts: thread } : {}) });
          return;
        }
        event = { kind: 'file', actor, purpose: 'providers_import', fileName: f.name ?? 'upload.csv', data, args: text };
      }
    } else {
      event = { kind: 'message', actor, text };
    }
    // the user sees that the bot is working while the answer is prepared; the note is then replaced
    const placeholder = await client.chat.postMessage({ channel: e.channel, text: M.thinking, ...(thread ? { thread_ts: thread } : {}) }).catch(() => undefined);
    const result = await engine.handle(event);
    const sink: Sink = {
      async post(message, reply, first) {
        if (reply.ephemeral && !actor.isDirect) {
          await client.chat.postEphemeral({ channel: e.channel, user: e.user, text: message.text, blocks: message.blocks as never, ...(thread ? { thread_ts: thread } : {}) });
        } else if (first && placeholder?.ts) {
          await client.chat.update({ channel: e.channel, ts: placeholder.ts, text: message.text, blocks: message.blocks as never });
        } else {
          await client.chat.postMessage({ channel: e.channel, text: message.text, blocks: message.blocks as never, ...(thread ? { thread_ts: thread } : {}) });
        }
      },
      file: uploader(e.channel, thread),
    };
    await send(result, sink);
  }

  async function downloadFile(url: string | undefined): Promise<Buffer | null> {
    if (!url) return null;
    try {
      const res = await fetch(url, { headers: { authorization: `Bearer ${slack!.botToken}` }, signal: AbortSignal.timeout(15_000) });
      if (!res.ok) return null;
      return Buffer.from(await res.arrayBuffer());
    } catch {
      return null;
    }
  }

  bolt.event('app_mention', async ({ event, body }) => {
    await tracked.run(() => onMessage(event, body as unknown as Record<string, unknown>, true));
  });
  bolt.message(async ({ message, body }) => {
    const m = message as { channel_type?: string; channel?: string };
    if (m.channel_type !== 'im' && !m.channel?.startsWith('D')) return;
    await tracked.run(() => onMessage(message, body as unknown as Record<string, unknown>, false));
  });

  const bot: SlackBot = {
    bolt,
    async start() {
      if (slack.appToken) await bolt.start();
      else bot.server = (await bolt.start(options.port ?? slack.port)) as unknown as Server;
      log.info({ mode: slack.appToken ? 'socket-mode' : 'http' }, 'Slack に接続しました');
    },
    async stop() {
      await bolt.stop().catch(() => undefined);
    },
    deliver,
  };
  return bot;
}

export async function startSlack(app: App): Promise<{ name: string; stop(): Promise<void> }> {
  const bot = createSlackBot(app);
  app.registerDelivery('slack', bot.deliver);
  await bot.start();
  return { name: 'slack', stop: () => bot.stop() };
}
