/**
 * The Slack adapter started for a test the way bin/main.ts starts it (registered for the relay,
 * then its real Bolt HTTP receiver listening on a loopback port), against the loopback fake Slack
 * API, and a driver that posts what Slack posts: signed slash commands, block actions, view
 * submissions and Events API callbacks.
 */
import type { AddressInfo } from 'node:net';
import { createSlackAdapter, type SlackAdapter } from '../../adapters/slack/index.js';
import { callText, FakeSlack, slackSignature, type Call } from '../fakes/slack-api.js';
import { testApp, type TestApp } from './app.js';

export const SLACK_SECRET = 'test-signing-secret';

/** What the app needs to talk to the fake in HTTP mode (bot token, signing secret, API URL). */
export const slackEnv = (fake: FakeSlack): Record<string, string> => ({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SLACK_SECRET, SLACK_API_URL: fake.apiUrl });

/** Bolt's HTTP answer to a request (the acknowledgement's body), and how long it took. */
export interface HttpAnswer {
  status: number;
  text: string;
  ms: number;
}

/** Who does something, and where. */
export interface SlackWho {
  user?: string;
  channel?: string;
}

/** A started fake Slack API. */
export async function startFakeSlack(): Promise<FakeSlack> {
  const fake = new FakeSlack();
  await fake.start();
  return fake;
}

/** Posts to one Slack adapter's receiver what Slack would post, signed with the app's secret. */
export class SlackDriver {
  private seq = 0;

  constructor(
    readonly fake: FakeSlack,
    readonly adapter: SlackAdapter,
    readonly endpoint: string,
  ) {}

  /** A request body as Slack sends it, signed (or with the given headers). */
  async post(body: string, type = 'application/x-www-form-urlencoded', headers: Record<string, string> = slackSignature(SLACK_SECRET, body)): Promise<HttpAnswer> {
    const started = Date.now();
    const res = await fetch(this.endpoint, { method: 'POST', headers: { 'content-type': type, ...headers }, body });
    return { status: res.status, text: await res.text(), ms: Date.now() - started };
  }

  /** A slash command, answered through its own response_url on the fake. */
  command(name: string, text: string, { user = 'U1', channel = 'C1' }: SlackWho = {}): Promise<HttpAnswer> {
    const n = ++this.seq;
    return this.post(new URLSearchParams({ command: `/${name}`, text, user_id: user, user_name: 'tester', team_id: 'T1', channel_id: channel, trigger_id: `trig-${n}`, response_url: `${this.fake.url}/respond/${n}` }).toString());
  }

  /** A block_actions payload: `payload` over a user, team, channel, trigger id and response_url. */
  action(payload: Record<string, unknown>): Promise<HttpAnswer> {
    const n = ++this.seq;
    const body = { type: 'block_actions', user: { id: 'U1', name: 'tester', team_id: 'T1' }, team: { id: 'T1' }, channel: { id: 'C1' }, trigger_id: `trig-${n}`, response_url: `${this.fake.url}/respond/${n}`, ...payload };
    return this.post(new URLSearchParams({ payload: JSON.stringify(body) }).toString());
  }

  /**
   * Presses the element of a message the bot sent (`call`) that `pred` picks: a button, or a select
   * with `values`. With `container`, the payload says whether that message was ephemeral, as Slack's does.
   */
  press(call: Call, pred: (el: Record<string, unknown>) => boolean, { user = 'U1', channel = 'C1', values, container = false }: SlackWho & { values?: string[]; container?: boolean } = {}): Promise<HttpAnswer> {
    const el = elements(call).find(pred);
    if (!el) throw new Error(`no element in ${callText(call)}`);
    const act: Record<string, unknown> = { action_id: el.action_id, type: el.type };
    if (el.type === 'button') act.value = el.value;
    else if (el.type === 'multi_static_select') act.selected_options = (values ?? []).map((value) => ({ value }));
    else act.selected_option = { value: values?.[0] };
    const ephemeral = call.method === 'respond' ? call.args.response_type === 'ephemeral' : call.method === 'chat.postEphemeral';
    return this.action({ user: { id: user, name: 'tester', team_id: 'T1' }, channel: { id: channel }, ...(container ? { container: { type: 'message', message_ts: '1.1', is_ephemeral: ephemeral } } : {}), actions: [act] });
  }

  /** Submits the modal a views.open call opened, with one text answer (and its private_metadata changed by `metadata`). */
  submit(open: Call, user: string, value: string, metadata?: (m: Record<string, unknown>) => Record<string, unknown>): Promise<HttpAnswer> {
    const view = open.args.view as { private_metadata: string; blocks: { block_id: string }[] };
    const meta = JSON.parse(view.private_metadata) as Record<string, unknown>;
    const submission = {
      type: 'view_submission',
      user: { id: user, name: 'tester' },
      team: { id: 'T1' },
      view: { id: `V${++this.seq}`, hash: 'h', callback_id: 'pf-form', private_metadata: JSON.stringify(metadata ? metadata(meta) : meta), state: { values: { [view.blocks[0]!.block_id]: { value: { type: 'plain_text_input', value } } } } },
    };
    return this.post(new URLSearchParams({ payload: JSON.stringify(submission) }).toString());
  }

  /** An Events API callback (a mention, a DM) with a fresh event id. */
  event(event: Record<string, unknown>): Promise<HttpAnswer> {
    const n = ++this.seq;
    return this.post(JSON.stringify({ token: 'x', team_id: 'T1', api_app_id: 'A1', type: 'event_callback', event_id: `Ev-${n}`, event_time: n, event }), 'application/json');
  }

  /** The bot mentioned in a channel, with a fresh ts. */
  mention(text: string, { user = 'U1', channel = 'C1' }: SlackWho = {}): Promise<HttpAnswer> {
    return this.event({ type: 'app_mention', user, text: `<@UBOT> ${text}`, channel, ts: `1700000100.${String(this.seq + 1).padStart(6, '0')}`, team: 'T1' });
  }
}

/** The interactive elements (buttons, selects) of a message the bot sent. */
export const elements = (call: Call): Record<string, unknown>[] =>
  ((call.args.blocks as Record<string, unknown>[]) ?? []).flatMap((b) => (b.type === 'actions' ? (b.elements as Record<string, unknown>[]) : []));
/** Picks the button whose text contains `label`. */
export const button = (label: string) => (el: Record<string, unknown>) => el.type === 'button' && String((el.text as { text: string }).text).includes(label);
/** Picks the select whose action id contains `part`. */
export const select = (part: string) => (el: Record<string, unknown>) => String(el.type).endsWith('static_select') && String(el.action_id).includes(part);

/** The Slack adapter of `app`, registered for the relay and listening (port 0), with its driver. */
export async function attachSlack(app: TestApp, fake: FakeSlack): Promise<SlackDriver> {
  const adapter = createSlackAdapter(app.core, app.config.slack!, { port: 0 });
  app.adapters.register(adapter);
  await adapter.start();
  return new SlackDriver(fake, adapter, `http://127.0.0.1:${(adapter.server!.address() as AddressInfo).port}/slack/events`);
}

/** A test app with only Slack: the fake API, the app (with `env` on top of Slack's settings), the adapter. */
export interface SlackBot {
  fake: FakeSlack;
  app: TestApp;
  slack: SlackDriver;
  stop(): Promise<void>;
}

export async function startSlackBot(env: Record<string, string> = {}): Promise<SlackBot> {
  const fake = await startFakeSlack();
  const app = await testApp({ ...slackEnv(fake), ...env });
  const slack = await attachSlack(app, fake);
  return {
    fake,
    app,
    slack,
    async stop() {
      await slack.adapter.stop();
      await fake.stop();
      app.dispose();
    },
  };
}
