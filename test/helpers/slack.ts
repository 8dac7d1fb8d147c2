/**
 * Driving the Slack adapter from outside, as Slack does: the real Bolt HTTP receiver with signed
 * requests, the fake Web API on loopback, and a modal walked the way a user walks it (a view opened
 * or updated by the bot; buttons inside it sent as block_actions with the view; a submission sent
 * as view_submission, whose acknowledgement carries the next view or the errors).
 */
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../adapters/slack/index.js';
import { viewViolations } from '../../adapters/slack/limits.js';
import { callText, FakeSlack, slackSignature, type Call } from '../fakes/slack-api.js';
import { testApp, type TestApp } from './app.js';

export const SLACK_SECRET = 'test-signing-secret';

export interface SlackRig {
  fake: FakeSlack;
  app: TestApp;
  bot: SlackAdapter;
  endpoint: string;
  /** Posts a signed request to the receiver; resolves with the status and the body of the acknowledgement. */
  post(body: string, type?: string): Promise<{ status: number; text: string }>;
  /** A slash command, with a fresh trigger_id and response_url. */
  command(name: string, text: string, user: string, channel: string): Promise<{ trigger: string; status: number }>;
  stop(): Promise<void>;
}

let seq = 0;
export const nextSeq = (): number => ++seq;

/** Starts the fake Slack API, an app with `env`, and the Slack adapter over HTTP on a free port. */
export async function startSlack(env: Record<string, string> = {}): Promise<SlackRig> {
  const fake = new FakeSlack();
  await fake.start();
  const app = await testApp({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SLACK_SECRET, SLACK_API_URL: fake.apiUrl, ...env });
  const bot = createSlackAdapter(app.core, app.config.slack!, { port: 0 });
  app.adapters.register(bot);
  await bot.start();
  const endpoint = `http://127.0.0.1:${(bot.server!.address() as AddressInfo).port}/slack/events`;
  const post = async (body: string, type = 'application/x-www-form-urlencoded'): Promise<{ status: number; text: string }> => {
    const res = await fetch(endpoint, { method: 'POST', headers: { 'content-type': type, ...slackSignature(SLACK_SECRET, body) }, body });
    return { status: res.status, text: await res.text() };
  };
  return {
    fake,
    app,
    bot,
    endpoint,
    post,
    async command(name, text, user, channel) {
      const n = nextSeq();
      const trigger = `cmd-trig-${n}`;
      const res = await post(new URLSearchParams({ command: `/${name}`, text, user_id: user, user_name: 'tester', team_id: 'T1', channel_id: channel, trigger_id: trigger, response_url: `${fake.url}/respond/cmd-${n}` }).toString());
      return { trigger, status: res.status };
    },
    async stop() {
      await bot.stop();
      await fake.stop();
      app.dispose();
    },
  };
}

type Json = Record<string, unknown>;

/** The elements of a view's or message's actions blocks. */
export function elementsOf(blocks: Json[]): Json[] {
  return blocks.flatMap((b) => (b.type === 'actions' ? (b.elements as Json[]) : []));
}

/** The text of a view (its title, blocks and input labels). */
export function viewText(view: Json): string {
  return callText({ method: 'view', args: { view }, at: 0 });
}

/** A modal the bot opened, walked as a user walks it. */
export class SlackModal {
  readonly id = `V-dlg-${nextSeq()}`;
  private hashes = 0;
  /** The errors of the last refused submission, by block_id. */
  errors: Record<string, string> | null = null;

  constructor(
    private readonly rig: SlackRig,
    public view: Json,
    private readonly user: string,
  ) {}

  /** Waits for the views.open of this trigger and walks the modal it opened. */
  static async opened(rig: SlackRig, trigger: string, user: string, from: number): Promise<SlackModal> {
    const open = await rig.fake.waitFor('views.open', (c) => c.args.trigger_id === trigger, from);
    expect(rig.fake.violations).toEqual([]);
    return new SlackModal(rig, open.args.view as Json, user);
  }

  get text(): string {
    return viewText(this.view);
  }
  get blocks(): Json[] {
    return this.view.blocks as Json[];
  }
  /** The input blocks, by field id (the part of the block_id after the form id). */
  get inputs(): Record<string, Json> {
    return Object.fromEntries(this.blocks.filter((b) => b.type === 'input').map((b) => [String(b.block_id).split('|').pop()!, b]));
  }
  get metadata(): Json {
    return JSON.parse(String(this.view.private_metadata)) as Json;
  }

  private payloadView(): Json {
    return { id: this.id, hash: `h${++this.hashes}`, type: 'modal', callback_id: this.view.callback_id, private_metadata: this.view.private_metadata, title: this.view.title };
  }

  /** Presses a button or picks options of a select inside the modal; resolves when the bot has updated it. */
  async act(pred: (el: Json) => boolean, values?: string[]): Promise<void> {
    const el = elementsOf(this.blocks).find(pred);
    if (!el) throw new Error(`no element in the modal:\n${this.text}`);
    const act: Json = { action_id: el.action_id, block_id: 'b', type: el.type };
    if (el.type === 'button') act.value = el.value;
    else if (el.type === 'multi_static_select') act.selected_options = (values ?? []).map((value) => ({ value }));
    else act.selected_option = { value: values?.[0] };
    const n = nextSeq();
    const from = this.rig.fake.calls.length;
    const payload = { type: 'block_actions', user: { id: this.user, name: 'tester', team_id: 'T1' }, team: { id: 'T1' }, container: { type: 'view', view_id: this.id }, trigger_id: `dlg-trig-${n}`, view: this.payloadView(), actions: [act] };
    expect((await this.rig.post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString())).status).toBe(200);
    const update = await this.rig.fake.waitFor('views.update', (c) => c.args.view_id === this.id, from);
    this.view = update.args.view as Json;
  }

  press(label: string): Promise<void> {
    return this.act((el) => el.type === 'button' && String((el.text as Json).text).includes(label));
  }

  /**
   * Submits the modal with values by field id (text, or option values for a select); the bot's
   * acknowledgement replaces the view, or refuses with errors (kept in `errors`, the view unchanged).
   */
  async submit(values: Record<string, string | string[]> = {}): Promise<void> {
    const state: Record<string, Json> = {};
    for (const [field, block] of Object.entries(this.inputs)) {
      const el = block.element as Json;
      const v = values[field];
      const entry: Json = { type: el.type };
      if (el.type === 'plain_text_input') entry.value = typeof v === 'string' ? v : null;
      else if (el.type === 'multi_static_select') entry.selected_options = (Array.isArray(v) ? v : []).map((value) => ({ value }));
      else entry.selected_option = v === undefined ? null : { value: Array.isArray(v) ? v[0] : v };
      state[String(block.block_id)] = { value: entry };
    }
    const submission = { type: 'view_submission', user: { id: this.user, name: 'tester' }, team: { id: 'T1' }, view: { ...this.payloadView(), state: { values: state } } };
    const res = await this.rig.post(new URLSearchParams({ payload: JSON.stringify(submission) }).toString());
    expect(res.status).toBe(200);
    const ack = (res.text ? JSON.parse(res.text) : {}) as Json;
    this.errors = null;
    if (ack.response_action === 'errors') this.errors = ack.errors as Record<string, string>;
    else if (ack.response_action === 'update') {
      this.view = ack.view as Json;
      expect(viewViolations(this.view)).toEqual([]);
    }
    else throw new Error(`the submission was acknowledged without a view: ${res.text}`);
  }

  /** Closes the modal (Slack sends view_closed when the view asked for it). */
  async close(): Promise<void> {
    if (!this.view.notify_on_close) return;
    const closed = { type: 'view_closed', user: { id: this.user, name: 'tester' }, team: { id: 'T1' }, view: this.payloadView(), is_cleared: false };
    expect((await this.rig.post(new URLSearchParams({ payload: JSON.stringify(closed) }).toString())).status).toBe(200);
  }
}

/** Whether a call is visible to the whole channel `channel`. */
export function isPublicIn(c: Call, channel: string): boolean {
  if (c.method === 'respond') return c.args.response_type === 'in_channel';
  if (c.method === 'chat.postMessage' || c.method === 'chat.update') return c.args.channel === channel;
  if (c.method === 'files.completeUploadExternal') return c.args.channel_id === channel;
  return false;
}
