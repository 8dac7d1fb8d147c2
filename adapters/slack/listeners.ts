/**
 * The Slack listeners, one named function per kind of delivery, each only parse → core → render:
 * slash commands, block actions (buttons, selects), view submissions (modals), mentions and direct
 * messages. Bolt calls them through the registrations in index.ts; a test can call one alone.
 *
 * Slack requires an ack within 3 s (https://api.slack.com/interactivity/handling#acknowledgment_response):
 * every command, action and view submission is acknowledged first and handled after; a command the
 * core calls slow (a question) says so in its ack. Retried deliveries are processed once (the
 * core's ledger, keyed by event_id or trigger_id).
 */
import type { SlackActionMiddlewareArgs, SlackCommandMiddlewareArgs, SlackEventMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { deliverResult, M, type Core, type EngineResult, type InboundEvent, type Logger, type ReplySink } from '../../src/core.js';
import { actionEvent, actorFromMessage, BlockActionPayload, CommandPayload, commandName, MessageEvent, stripMentions, ViewSubmissionPayload } from './inbound.js';
import { respondTo } from './fallback.js';
import { download } from '../shared/download.js';
import { responseSink, threadSink } from './outbound.js';
import type { FormOrigin } from './render.js';

/** What every listener needs: the core, Slack's Web API client, a logger and the bot token (file downloads). */
export interface ListenerDeps {
  core: Core;
  client: WebClient;
  log: Logger;
  botToken: string;
  /** Hosts a shared file may be downloaded from (the configured Slack API's and its file host). */
  fileHosts: readonly string[];
}

/** Delivers one result: the replies through the sink, the effects through the core to their platforms. */
function send(deps: ListenerDeps, result: EngineResult, sink: ReplySink): Promise<void> {
  return deliverResult(result, sink, (effect) => deps.core.relay(effect), deps.log);
}

/** `/pf…` slash commands: acknowledged at once (saying so when the core calls the command slow), answered through response_url. */
export async function handleCommand(deps: ListenerDeps, { command, ack, respond }: Pick<SlackCommandMiddlewareArgs, 'command' | 'ack' | 'respond'>): Promise<void> {
  const { core, client } = deps;
  const parsed = CommandPayload.safeParse(command);
  const name = parsed.success ? commandName(parsed.data.command) : null;
  if (!parsed.success || !name) {
    await ack({ response_type: 'ephemeral', text: M.unknownSlashCommand(String((command as { command?: string }).command ?? '') || '（名前なし）') });
    return;
  }
  const c = parsed.data;
  await ack(core.isSlow(name, c.text) ? { response_type: 'ephemeral', text: M.thinking } : undefined);
  const event: InboundEvent = {
    kind: 'command',
    actor: { platform: 'slack', userId: c.user_id, ...(c.user_name ? { displayName: c.user_name } : {}), workspaceId: c.team_id, channelId: c.channel_id, isDirect: c.channel_id.startsWith('D') },
    command: name,
    args: c.text,
    ...(c.trigger_id ? { eventId: `cmd:${c.trigger_id}` } : {}),
  };
  const result = await core.handle(event);
  if (result.duplicate) return;
  await send(deps, result, responseSink(client, { channel: c.channel_id, user: c.user_id }, respond, c.trigger_id, { log: deps.log }));
}

/** Buttons and selects: acknowledged, then the neutral action (its id without Slack's uniqueness suffix). */
export async function handleAction(deps: ListenerDeps, { ack, body, respond }: Pick<SlackActionMiddlewareArgs, 'ack' | 'body' | 'respond'>): Promise<void> {
  await ack();
  const parsed = BlockActionPayload.safeParse(body);
  if (!parsed.success) {
    deps.log.warn({ issues: parsed.error.issues.length }, '知らない形のアクションを受け取りました');
    return;
  }
  const p = parsed.data;
  const channel = p.channel?.id ?? p.user.id;
  const thread = p.container?.thread_ts ?? p.message?.thread_ts;
  const { action, value, values } = actionEvent(p);
  const result = await deps.core.handle({
    kind: 'action',
    actor: { platform: 'slack', userId: p.user.id, ...(p.user.name ? { displayName: p.user.name } : {}), workspaceId: p.team?.id ?? p.user.team_id ?? '', channelId: channel, ...(thread ? { threadId: thread } : {}), isDirect: channel.startsWith('D') },
    action,
    value,
    ...(values ? { values } : {}),
    ...(p.trigger_id ? { eventId: `act:${p.trigger_id}` } : {}),
  });
  if (result.duplicate) return;
  // navigation edits the message the button is on; a modal it opens remembers where that is
  const sinkOptions = { log: deps.log, ...(p.container?.is_ephemeral !== undefined ? { originEphemeral: p.container.is_ephemeral } : {}), ...(p.response_url ? { responseUrl: p.response_url } : {}) };
  await send(deps, result, responseSink(deps.client, { channel, user: p.user.id, ...(thread ? { thread } : {}) }, respond, p.trigger_id, sinkOptions));
}

/** A submitted modal: the form's id and state come back in private_metadata, with where to answer. */
export async function handleViewSubmission(deps: ListenerDeps, { ack, body }: Pick<SlackViewMiddlewareArgs, 'ack' | 'body'>): Promise<void> {
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
  const view = (body as { view?: { id?: string; hash?: string } }).view;
  const result = await deps.core.handle({
    kind: 'form',
    actor: { platform: 'slack', userId: p.user.id, workspaceId: p.team?.id ?? origin.team ?? '', channelId: origin.channel, ...(origin.thread ? { threadId: origin.thread } : {}), isDirect: origin.channel.startsWith('D') },
    formId: origin.formId,
    ...(origin.state ? { state: origin.state } : {}),
    fields,
    ...(typeof view?.id === 'string' ? { eventId: `view:${view.id}:${view.hash ?? ''}` } : {}),
  });
  if (result.duplicate) return;
  // a modal opened from a button answers through that button's response_url, editing its message
  const url = typeof origin.responseUrl === 'string' ? origin.responseUrl : undefined;
  const respond = url ? (reply: Record<string, unknown>) => respondTo(url, reply) : undefined;
  const sinkOptions = { log: deps.log, ...(typeof origin.ephemeral === 'boolean' ? { originEphemeral: origin.ephemeral } : {}) };
  await send(deps, result, responseSink(deps.client, { channel: origin.channel, user: p.user.id, ...(origin.thread ? { thread: origin.thread } : {}) }, respond, undefined, sinkOptions));
}

/** A mention in a channel: answered in its thread. */
export async function handleMention(deps: ListenerDeps, { event, body }: Pick<SlackEventMiddlewareArgs<'app_mention'>, 'event' | 'body'>): Promise<void> {
  await answerMessage(deps, event, body as unknown as Record<string, unknown>, true);
}

/** A message in a direct message with the bot (other channels' messages are not for the bot). */
export async function handleDirectMessage(deps: ListenerDeps, { message, body }: Pick<SlackEventMiddlewareArgs<'message'>, 'message' | 'body'>): Promise<void> {
  const m = message as { channel_type?: string; channel?: string };
  if (m.channel_type !== 'im' && !m.channel?.startsWith('D')) return;
  await answerMessage(deps, message, body as unknown as Record<string, unknown>, false);
}

/** How long an answer may take before the "working" note is posted. */
const PLACEHOLDER_AFTER_MS = 1000;

/** Retried deliveries and duplicates: the event_id, or the trigger_id of a command or action. */
const eventKey = (body: Record<string, unknown>): string | undefined => (typeof body.event_id === 'string' ? body.event_id : typeof body.trigger_id === 'string' ? body.trigger_id : undefined);

/** A mention or a DM: claimed once, a "working" note shown, then the answer replaces it. A CSV sent to import becomes a file event. */
async function answerMessage(deps: ListenerDeps, raw: unknown, body: Record<string, unknown>, mention: boolean): Promise<void> {
  const { core, client } = deps;
  const parsed = MessageEvent.safeParse(raw);
  if (!parsed.success || parsed.data.bot_id) return;
  const e = parsed.data;
  if (e.subtype && e.subtype !== 'file_share') return;
  const actor = actorFromMessage(e, typeof body.team_id === 'string' ? body.team_id : '');
  const said = mention ? stripMentions(e.text) : e.text;
  const eventId = eventKey(body);
  // a retried delivery is dropped before anything shows (not even the working note)
  if (eventId && !core.claimDelivery('slack', eventId)) return;
  const thread = actor.threadId;
  let event: InboundEvent;
  const purpose = e.files?.length ? core.fileRequest(said) : null;
  if (e.files?.length && purpose) {
    const f = e.files[0]!;
    if (!core.mayUpload(actor, purpose)) {
      // check before fetch: nothing is downloaded for someone who may not upload (the core says why)
      event = { kind: 'file', actor, purpose, fileName: f.name ?? 'upload.csv', data: Buffer.alloc(0), args: said };
    } else if ((f.size ?? 0) > core.limits.maxUploadBytes) {
      event = { kind: 'file', actor, purpose, fileName: f.name ?? 'upload.csv', data: Buffer.alloc(core.limits.maxUploadBytes + 1) };
    } else {
      const got = await download(f.url_private, { hosts: deps.fileHosts, maxBytes: core.limits.maxUploadBytes, headers: { authorization: `Bearer ${deps.botToken}` } });
      if (!got.ok && got.reason === 'too-large') {
        event = { kind: 'file', actor, purpose, fileName: f.name ?? 'upload.csv', data: Buffer.alloc(core.limits.maxUploadBytes + 1) };
      } else if (!got.ok) {
        if (got.reason === 'refused') deps.log.warn({ file: f.id }, 'Slack のファイルホスト以外の URL のため、ファイルを取得しませんでした');
        await client.chat.postMessage({ channel: e.channel, text: M.fileReadFailedRetry, ...(thread ? { thread_ts: thread } : {}) });
        return;
      } else {
        event = { kind: 'file', actor, purpose, fileName: f.name ?? 'upload.csv', data: got.data, args: said };
      }
    }
  } else {
    event = { kind: 'message', actor, text: said };
  }
  // a "working" note only when the answer is not ready within about a second (the language-model
  // path): an offline answer goes out directly, so a phone's notification shows the answer itself
  const pending = core.handle(event);
  let result = await Promise.race([pending, new Promise<null>((r) => setTimeout(() => r(null), PLACEHOLDER_AFTER_MS))]);
  let placeholder: { ts?: string } | undefined;
  if (!result) {
    placeholder = await client.chat.postMessage({ channel: e.channel, text: M.thinking, ...(thread ? { thread_ts: thread } : {}) }).catch(() => undefined);
    result = await pending;
  }
  if (result.duplicate) return;
  // a failed handling gives the delivery back, so Slack's retry is answered instead of dropped
  if (result.failed && eventId) core.releaseDelivery('slack', eventId);
  await send(deps, result, threadSink(client, { channel: e.channel, user: e.user, ...(thread ? { thread } : {}), direct: actor.isDirect }, placeholder?.ts, deps.log));
}
