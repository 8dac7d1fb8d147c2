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
import { D, deliverResult, M, type Core, type EngineResult, type InboundEvent, type Logger, type ReplySink } from '../../src/core.js';
import { actionEvent, actorFromMessage, BlockActionPayload, CommandPayload, commandName, MessageEvent, stripMentions, ViewSubmissionPayload } from './inbound.js';
import { fromDialog, handleDialogAction } from './dialog-listeners.js';
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
  // a flow walked in a dialog (the checklist) opens its modal on the trigger_id, within Slack's 3 s
  await send(deps, result, responseSink(client, { channel: c.channel_id, user: c.user_id }, respond, c.trigger_id, { log: deps.log, ...(c.team_id ? { team: c.team_id } : {}) }));
}

/** Buttons and selects: acknowledged, then the neutral action (its id without Slack's uniqueness suffix). */
export async function handleAction(deps: ListenerDeps, { ack, body, respond }: Pick<SlackActionMiddlewareArgs, 'ack' | 'body' | 'respond'>): Promise<void> {
  await ack();
  const parsed = BlockActionPayload.safeParse(body);
  if (!parsed.success) {
    deps.log.warn({ issues: parsed.error.issues.length }, '知らない形のアクションを受け取りました');
    // Bolt gives `respond` only when the signed payload carries a response_url: the user who
    // pressed learns that nothing happened instead of waiting
    await respond?.({ response_type: 'ephemeral', replace_original: false, text: M.unreadableAction }).catch((error: unknown) => deps.log.warn({ err: error }, '読み取れない操作への返事を送れませんでした'));
    return;
  }
  const p = parsed.data;
  if (fromDialog(p)) {
    await handleDialogAction(deps, p);
    return;
  }
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
  const team = p.team?.id ?? p.user.team_id;
  const sinkOptions = { log: deps.log, ...(p.container?.is_ephemeral !== undefined ? { originEphemeral: p.container.is_ephemeral } : {}), ...(p.response_url ? { responseUrl: p.response_url } : {}), ...(team ? { team } : {}) };
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

/** How long an answer may take before Slack's working status is shown under its thread. */
const STATUS_AFTER_MS = 300;
/** How long an answer may take before the "working" note is posted (where the status cannot be shown). */
const PLACEHOLDER_AFTER_MS = 1000;
/** Logged once: the workspace refused the working status, so the "working" note is used instead. */
let statusRefusalLogged = false;

/**
 * Slack's own working line under a thread ("<app> が資料を確認しています…"):
 * assistant.threads.setStatus, which takes chat:write since March 2026 and works in channel threads
 * without the assistant split view (https://docs.slack.dev/changelog/2026/03/05/set-status-scope-update).
 * Resolves false where Slack refuses it (an older Slack, a missing scope); DMs without a thread never ask.
 */
async function showStatus(web: WebClient, channel: string, thread: string, log: Logger): Promise<boolean> {
  try {
    await web.assistant.threads.setStatus({ channel_id: channel, thread_ts: thread, status: D.typingStatus });
    return true;
  } catch (error) {
    if (!statusRefusalLogged) {
      statusRefusalLogged = true;
      log.info({ error: (error as { data?: { error?: string } }).data?.error }, 'Slack のスレッドの状態表示が使えないため、時間のかかる回答には「資料を確認しています…」と投稿します');
    }
    return false;
  }
}

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
  // an offline answer goes out directly, so a phone's notification shows the answer itself; a slow
  // one (the language-model path) shows Slack's working status under the thread, or, where Slack
  // refuses that, a "working" note after about a second that the answer then replaces
  const pending = core.handle(event);
  const within = (ms: number): Promise<EngineResult | null> => Promise.race([pending, new Promise<null>((r) => setTimeout(() => r(null), ms))]);
  let result = await within(STATUS_AFTER_MS);
  let placeholder: { ts?: string } | undefined;
  let status = false;
  if (!result) {
    status = thread ? await showStatus(client, e.channel, thread, deps.log) : false;
    if (!status) {
      result = await within(PLACEHOLDER_AFTER_MS - STATUS_AFTER_MS);
      if (!result) placeholder = await client.chat.postMessage({ channel: e.channel, text: M.thinking, ...(thread ? { thread_ts: thread } : {}) }).catch(() => undefined);
    }
    result = result ?? (await pending);
  }
  try {
    if (result.duplicate) return;
    // a failed handling gives the delivery back, so Slack's retry is answered instead of dropped
    if (result.failed && eventId) core.releaseDelivery('slack', eventId);
    await send(deps, result, threadSink(client, { channel: e.channel, user: e.user, ...(thread ? { thread } : {}), direct: actor.isDirect }, placeholder?.ts, deps.log));
  } finally {
    // a reply in the thread clears the status; a private or DM'd one does not, so it is cleared here
    if (status && thread) await client.assistant.threads.setStatus({ channel_id: e.channel, thread_ts: thread, status: '' }).catch(() => undefined);
  }
}
