/**
 * Every adapter against the one contract (contract.ts): Slack through its real Bolt receiver with
 * signed Events API and interactivity payloads (test/fixtures/slack) to the fake Slack API, Discord
 * through its real discord.js client with gateway dispatches (test/fixtures/discord) to the fake
 * REST API, and the terminal on streams. Each harness reads back what the platform would show: the
 * messages posted, with later edits applied, and who can see them.
 */
import { PassThrough, Writable } from 'node:stream';
import { createTerminalAdapter } from '../../adapters/terminal/index.js';
import { ADAPTERS } from '../../src/core.js';
import { BOT_ID, CHANNEL_ID, nextId, type FakeDiscord, type Req } from '../fakes/discord-api.js';
import { callText, type Call, type FakeSlack } from '../fakes/slack-api.js';
import { testApp } from '../helpers/app.js';
import { EPHEMERAL, startDiscordBot } from '../helpers/discord.js';
import { fixture } from '../helpers/fixtures.js';
import { startSlackBot } from '../helpers/slack.js';
import { adapterContract, type Shown } from './contract.js';

/** Waits until `count()` has grown and then stayed still for a moment: one event's replies may be several requests. */
async function settle(count: () => number, from: number, quietMs = 500, maxMs = 30_000): Promise<void> {
  const until = Date.now() + maxMs;
  let last = count();
  let quietSince = Date.now();
  while (Date.now() < until && (last <= from || Date.now() - quietSince < quietMs)) {
    await new Promise((r) => setTimeout(r, 25));
    const now = count();
    if (now !== last) {
      last = now;
      quietSince = Date.now();
    }
  }
}

/** What Slack shows after the calls since `from`: posts and ephemeral posts, response_url messages, with chat.update applied to its message. */
function slackShown(fake: FakeSlack, from: number): Shown[] {
  const shown = new Map<string, Shown>();
  fake.calls.slice(from).forEach((c: Call, i) => {
    if (c.method === 'chat.postMessage') shown.set(String(c.ts), { text: callText(c), public: !String(c.args.channel).startsWith('D') });
    else if (c.method === 'chat.postEphemeral') shown.set(`ephemeral-${i}`, { text: callText(c), public: false });
    else if (c.method === 'respond') shown.set(`respond-${i}`, { text: callText(c), public: c.args.response_type === 'in_channel' });
    else if (c.method === 'chat.update' && shown.has(String(c.args.ts))) shown.set(String(c.args.ts), { ...shown.get(String(c.args.ts))!, text: callText(c) });
  });
  return [...shown.values()];
}

adapterContract('slack', async () => {
  const bot = await startSlackBot();
  const { fake, slack } = bot;
  let n = 0;
  /** An app_mention in channel C1 as the Events API delivers it (the fixture, with this text and a fresh id and ts). */
  const mention = async (text: string): Promise<Shown[]> => {
    const from = fake.calls.length;
    const ts = `1700000200.${String(++n).padStart(6, '0')}`;
    const body = fixture('slack/app-mention', { event_id: `Ev-contract-${n}`, event: { text: `<@UBOT> ${text}`, ts, event_ts: ts } });
    await slack.post(JSON.stringify(body), 'application/json');
    await settle(() => fake.calls.length, from);
    return slackShown(fake, from);
  };
  return {
    platform: 'slack',
    ask: mention,
    startPrivate: mention,
    typeCommand: mention,
    async slashCommand(name) {
      // the fixture's slash command with another name: Slack shows the ack's body to the user alone
      const body = fixture('slack/slash-command', { command: `/${name}` }) as Record<string, string>;
      const answer = await slack.post(new URLSearchParams(body).toString());
      const ack = JSON.parse(answer.text) as { text: string; response_type?: string };
      return [{ text: ack.text, public: ack.response_type === 'in_channel' }];
    },
    async badPayload() {
      // a button press whose action id the bot never issued (the fixture's payload otherwise)
      const from = fake.calls.length;
      const body = fixture('slack/block-actions', { trigger_id: `contract-bad-${++n}`, response_url: `${fake.url}/respond/contract-bad-${n}` });
      body.actions = [{ ...(body.actions as Record<string, unknown>[])[0], action_id: 'not-ours:at-all::0', value: '?' }];
      await slack.post(new URLSearchParams({ payload: JSON.stringify(body) }).toString());
      await settle(() => fake.calls.length, from);
      return slackShown(fake, from);
    },
    close: () => bot.stop(),
  };
});

/**
 * What Discord shows after the requests since `from`: messages posted to a channel (the server's
 * channel is public, a DM is not), interaction replies and follow-ups (ephemeral or not), with the
 * edit of a deferred reply applied to it.
 */
function discordShown(fake: FakeDiscord, from: number): Shown[] {
  const shown = new Map<string, Shown>();
  const data = (r: Req): Record<string, unknown> => (r.body.data as Record<string, unknown> | undefined) ?? r.body;
  const text = (r: Req): string => {
    const d = data(r);
    return [String(d.content ?? ''), ...((d.embeds as Record<string, unknown>[] | undefined) ?? []).flatMap((e) => [String(e.title ?? ''), String(e.description ?? ''), ...((e.fields as { name: string; value: string }[] | undefined) ?? []).flatMap((f) => [f.name, f.value])])].join('\n');
  };
  const visible = (r: Req): boolean => (Number(data(r).flags ?? 0) & EPHEMERAL) === 0;
  fake.requests.slice(from).forEach((r, i) => {
    const channel = /^\/channels\/(\d+)\/messages$/.exec(r.path);
    if (r.method === 'POST' && channel) shown.set(`message-${i}`, { text: text(r), public: channel[1] === CHANNEL_ID });
    const cb = /^\/interactions\/(\d+)\/[^/]+\/callback$/.exec(r.path);
    // 4: a reply, 7: the update of the message acted on, 5: a deferred reply the edit fills in
    if (cb && [4, 5, 7].includes(Number(r.body.type))) shown.set(`interaction-${cb[1]}`, { text: text(r), public: visible(r) });
    const hook = /^\/webhooks\/\d+\/([^/]+)(\/messages\/@original)?$/.exec(r.path);
    if (hook?.[2] && r.method === 'PATCH') {
      const key = [...shown.keys()].reverse().find((k) => k.startsWith('interaction-'));
      if (key) shown.set(key, { ...shown.get(key)!, text: text(r) });
    } else if (hook && r.method === 'POST') shown.set(`followup-${i}`, { text: text(r), public: visible(r) });
  });
  return [...shown.values()];
}

adapterContract('discord', async () => {
  const bot = await startDiscordBot();
  const { fake } = bot;
  /** A message mentioning the bot in the server's channel, as MESSAGE_CREATE carries it (the fixture, with this text and a fresh id). */
  const mention = async (text: string): Promise<Shown[]> => {
    const from = fake.requests.length;
    fake.dispatch('MESSAGE_CREATE', fixture('discord/message-create', { id: nextId(), content: `<@${BOT_ID}> ${text}` }));
    await settle(() => fake.requests.filter((r) => !r.path.endsWith('/typing')).length, fake.requests.slice(0, from).filter((r) => !r.path.endsWith('/typing')).length);
    return discordShown(fake, from);
  };
  return {
    platform: 'discord',
    ask: mention,
    startPrivate: mention,
    typeCommand: mention,
    async slashCommand(name) {
      const from = fake.requests.length;
      const id = nextId();
      fake.dispatch('INTERACTION_CREATE', fixture('discord/interaction-command', { id, token: `tok-${id}`, data: { type: 1, name, id: nextId(), options: [] } }));
      await settle(() => fake.requests.length, from);
      return discordShown(fake, from);
    },
    async badPayload() {
      // a button whose custom id the bot never issued, pressed on one of its public messages
      const from = fake.requests.length;
      const id = nextId();
      fake.dispatch('INTERACTION_CREATE', fixture('discord/interaction-component', { id, token: `tok-${id}`, data: { custom_id: 'not-ours|at-all' } }));
      await settle(() => fake.requests.length, from);
      return discordShown(fake, from);
    },
    close: () => bot.stop(),
  };
});

adapterContract('terminal', async () => {
  const app = await testApp();
  let printed: string[] = [];
  const output = new Writable({
    write(chunk, _enc, done) {
      printed.push(String(chunk));
      done();
    },
  });
  const adapter = createTerminalAdapter({ core: app.core, input: new PassThrough(), output, width: 1000, userId: 'contract' });
  app.adapters.register(adapter);
  /** Types one line; each reply is printed in one write, and only the person at the terminal sees it. */
  const type = async (line: string): Promise<Shown[]> => {
    printed = [];
    await adapter.chat.handleLine(line);
    return printed.filter((p) => p !== `${ADAPTERS.pickByNumber}\n`).map((text) => ({ text, public: false }));
  };
  return {
    platform: 'terminal',
    ask: type,
    startPrivate: type,
    typeCommand: type,
    async badPayload() {
      // a choice number the last reply did not list
      await type('/pf-faq 6');
      return type('99');
    },
    async close() {
      await adapter.stop();
      app.dispose();
    },
  };
}, { slashCommands: false });
