/**
 * Who may speak for a municipality (issue 17), from outside: every checklist action for every
 * role, sent as Slack's signed HTTP payloads (real Bolt receiver) and as Discord gateway
 * interactions (real discord.js client), each against the loopback fakes. The answer of 行田市
 * carries a confidential line; a role "may" an action when the reply shows it (reads) or the
 * database changed (writes).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter, type DiscordAdapter } from '../../adapters/discord/index.js';
import { encodeCustomId } from '../../adapters/discord/render.js';
import { createSlackAdapter, type SlackAdapter } from '../../adapters/slack/index.js';
import type { ChecklistAnswers } from '../../src/checklist/model.js';
import { FlowStore } from '../../src/store/flows.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { APP_ID, CHANNEL_ID, DESK_ID, FakeDiscord, GUILD_ID, message, nextId, reqText } from '../fakes/discord-api.js';
import { callText, FakeSlack, slackSignature } from '../fakes/slack-api.js';

const SECRET = '職員2名が退職予定（秘）';
const ANSWERS: ChecklistAnswers = { q1: { q1a: 'no' }, q2: SECRET, q3: { options: [] }, q4: { options: ['training'] } };

type Role = 'admin' | 'member' | 'otherMember' | 'pending' | 'stranger';
type Action = 'detail' | 'detailSelect' | 'history' | 'overview' | 'groups' | 'export' | 'preview' | 'bind' | 'submit' | 'requests' | 'approve' | 'reject';

/** The authorisation matrix: one row per role × action; true = allowed. */
const MATRIX: [Role, Action, boolean][] = [
  ['admin', 'detail', true], ['member', 'detail', true], ['otherMember', 'detail', false], ['pending', 'detail', false], ['stranger', 'detail', false],
  ['admin', 'detailSelect', true], ['member', 'detailSelect', true], ['otherMember', 'detailSelect', false], ['pending', 'detailSelect', false], ['stranger', 'detailSelect', false],
  // an admin belongs to no municipality: 「履歴」 is a member's own history
  ['admin', 'history', false], ['member', 'history', true], ['otherMember', 'history', false], ['pending', 'history', false], ['stranger', 'history', false],
  ['admin', 'overview', true], ['member', 'overview', false], ['otherMember', 'overview', false], ['pending', 'overview', false], ['stranger', 'overview', false],
  ['admin', 'groups', true], ['member', 'groups', false], ['otherMember', 'groups', false], ['pending', 'groups', false], ['stranger', 'groups', false],
  ['admin', 'preview', true], ['member', 'preview', false], ['otherMember', 'preview', false], ['pending', 'preview', false], ['stranger', 'preview', false],
  ['admin', 'export', true], ['member', 'export', false], ['otherMember', 'export', false], ['pending', 'export', false], ['stranger', 'export', false],
  ['admin', 'submit', true], ['member', 'submit', true], ['otherMember', 'submit', false], ['pending', 'submit', false], ['stranger', 'submit', false],
  ['admin', 'bind', true], ['member', 'bind', true], ['otherMember', 'bind', false], ['pending', 'bind', false], ['stranger', 'bind', false],
  ['admin', 'requests', true], ['member', 'requests', false], ['otherMember', 'requests', false], ['pending', 'requests', false], ['stranger', 'requests', false],
  ['admin', 'approve', true], ['member', 'approve', false], ['otherMember', 'approve', false], ['pending', 'approve', false], ['stranger', 'approve', false],
];

/** How one platform sends a command or an action as a user, and returns the text of the replies. */
interface Driver {
  platform: 'slack' | 'discord';
  ids: Record<Role, string>;
  workspace: string;
  channel: string;
  command(user: string, name: string, args: string): Promise<string>;
  action(user: string, action: string, value: string, values?: string[]): Promise<string>;
}

function seed(app: TestApp, d: Driver): void {
  const { roles, membershipRequests, checklists } = app.services;
  roles.bindMember(d.platform, d.ids.member, '行田市', 'test');
  roles.bindMember(d.platform, d.ids.otherMember, '熊谷市', 'test');
  membershipRequests.request(d.platform, d.ids.pending, '行田市');
  if (!checklists.latest('行田市')) checklists.submit('行田市', ANSWERS, d.platform, d.ids.member);
}

/** Puts the user's checklist flow at a step (a draft left at the review, or at the municipality choice). */
function flowAt(app: TestApp, d: Driver, user: string, state: Record<string, unknown>): void {
  new FlowStore(app.db).save({ platform: d.platform, workspace: d.workspace, channel: d.channel, userId: user }, { flowId: 'checklist', flowVersion: 1, state: { s: state }, history: [], updatedAt: Date.now(), expiresAt: Date.now() + 3_600_000 });
}

async function attempt(app: TestApp, d: Driver, role: Role, action: Action): Promise<boolean> {
  const user = d.ids[role];
  switch (action) {
    case 'detail':
      return (await d.command(user, 'pf-checklist', '行田市')).includes(SECRET);
    case 'detailSelect':
      return (await d.action(user, 'checklist:detail', '', ['行田市'])).includes(SECRET);
    case 'history':
      return (await d.command(user, 'pf-checklist', '履歴')).includes(SECRET);
    case 'overview':
      return (await d.command(user, 'pf-checklist', '集計')).includes(SECRET);
    case 'groups':
      return (await d.command(user, 'pf-checklist', 'グループ')).includes('行田市');
    case 'preview':
      return (await d.command(user, 'pf-checklist', 'プレビュー')).includes('チェックリストのプレビューです');
    case 'requests':
      return (await d.command(user, 'pf', '権限 申請')).includes('承認待ちの回答者の申請');
    case 'export':
      return (await d.command(user, 'pf-checklist', 'エクスポート')).includes('CSV で出力しました');
    case 'submit': {
      flowAt(app, d, user, { at: 'review', municipalityId: '行田市', answers: ANSWERS });
      const before = app.services.checklists.history('行田市').length;
      const text = await d.action(user, 'flow:checklist:submit', '');
      expect(text.length).toBeGreaterThan(0);
      return app.services.checklists.history('行田市').length === before + 1;
    }
    case 'bind': {
      flowAt(app, d, user, { at: 'bind', answers: { q1: {} } });
      const roleBefore = app.services.roles.of(d.platform, user);
      const text = await d.action(user, 'flow:checklist:bind', '', ['行田市']);
      const allowed = text.includes('行田市 として回答します');
      // a refused pick never changes the user's role: it is a request an admin decides
      if (!allowed) expect(app.services.roles.of(d.platform, user)).toEqual(roleBefore);
      return allowed;
    }
    case 'approve': {
      const target = d.platform === 'slack' ? `UCAND${role.toUpperCase()}` : `9300000000000000${String(Object.keys(d.ids).indexOf(role)).padStart(2, '0')}`;
      const { request } = app.services.membershipRequests.request(d.platform, target, '行田市');
      await d.action(user, 'membership:approve', String(request.id));
      return app.services.roles.of(d.platform, target).municipalityId === '行田市';
    }
    case 'reject': {
      const target = d.platform === 'slack' ? `UREJ${role.toUpperCase()}` : `9400000000000000${String(Object.keys(d.ids).indexOf(role)).padStart(2, '0')}`;
      const { request } = app.services.membershipRequests.request(d.platform, target, '行田市');
      await d.action(user, 'membership:reject', String(request.id));
      return app.services.membershipRequests.get(request.id)!.status === 'rejected';
    }
  }
}

function runMatrix(name: string, setup: () => Promise<{ app: TestApp; driver: Driver; stop: () => Promise<void> }>): void {
  describe(`authorisation matrix through ${name} payloads`, () => {
    let ctx: { app: TestApp; driver: Driver; stop: () => Promise<void> };
    beforeAll(async () => {
      ctx = await setup();
      seed(ctx.app, ctx.driver);
    }, 60_000);
    afterAll(async () => {
      await ctx.stop();
      ctx.app.dispose();
    });
    it('gives every role exactly what the matrix allows', async () => {
      const got: string[] = [];
      for (const [role, action, allowed] of MATRIX) {
        const actual = await attempt(ctx.app, ctx.driver, role, action);
        if (actual !== allowed) got.push(`${role} × ${action}: expected ${allowed ? 'allowed' : 'refused'}, got ${actual ? 'allowed' : 'refused'}`);
      }
      expect(got).toEqual([]);
      // nobody took a membership on the way
      expect(ctx.app.services.roles.of(ctx.driver.platform, ctx.driver.ids.stranger).role).toBe('guest');
      expect(ctx.app.services.roles.of(ctx.driver.platform, ctx.driver.ids.pending).role).toBe('guest');
    }, 120_000);
  });
}

const SIGNING = 'matrix-signing-secret';

runMatrix('Slack (signed HTTP, real Bolt)', async () => {
  const fake = new FakeSlack();
  await fake.start();
  const app = await testApp({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING, SLACK_API_URL: fake.apiUrl, ADMIN_USER_IDS: 'slack:UADMIN', SLACK_DESK_CHANNEL: 'CDESK', RATE_LIMIT_PER_MINUTE: '1000' });
  const bot: SlackAdapter = createSlackAdapter(app.core, app.config.slack!, { port: 0 });
  app.adapters.register(bot);
  await bot.start();
  const endpoint = `http://127.0.0.1:${(bot.server!.address() as AddressInfo).port}/slack/events`;
  let seq = 0;
  const post = async (body: string, type: string): Promise<void> => {
    const res = await fetch(endpoint, { method: 'POST', headers: { 'content-type': type, ...slackSignature(SIGNING, body) }, body });
    expect(res.status).toBe(200);
  };
  const replies = async (n: number): Promise<string> => callText(await fake.waitFor('respond', (c) => c.args.url === `/respond/${n}`, 0, 10_000));
  const driver: Driver = {
    platform: 'slack',
    ids: { admin: 'UADMIN', member: 'UMEMBER1', otherMember: 'UOTHER01', pending: 'UPENDING', stranger: 'USTRANGE' },
    workspace: 'T1',
    channel: 'C1',
    async command(user, name, args) {
      const n = ++seq;
      await post(new URLSearchParams({ command: `/${name}`, text: args, user_id: user, user_name: 'u', team_id: 'T1', channel_id: 'C1', trigger_id: `mx-${n}`, response_url: `${fake.url}/respond/${n}` }).toString(), 'application/x-www-form-urlencoded');
      return replies(n);
    },
    async action(user, action, value, values) {
      const n = ++seq;
      const act: Record<string, unknown> = values ? { action_id: `${action}::1`, type: 'static_select', selected_option: { value: values[0] } } : { action_id: `${action}::1`, type: 'button', value };
      const payload = { type: 'block_actions', user: { id: user, name: 'u', team_id: 'T1' }, team: { id: 'T1' }, channel: { id: 'C1' }, trigger_id: `mx-${n}`, response_url: `${fake.url}/respond/${n}`, actions: [act] };
      await post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded');
      return replies(n);
    },
  };
  return { app, driver, stop: async () => { await bot.stop(); await fake.stop(); } };
});

runMatrix('Discord (gateway interactions, real discord.js)', async () => {
  const fake = new FakeDiscord();
  await fake.start();
  const admin = '920000000000000099';
  const app = await testApp({ DISCORD_TOKEN: 'test-token', DISCORD_APPLICATION_ID: APP_ID, DISCORD_API_URL: fake.api, DISCORD_GUILD_ID: GUILD_ID, DISCORD_DESK_CHANNEL: DESK_ID, ADMIN_USER_IDS: `discord:${admin}`, RATE_LIMIT_PER_MINUTE: '1000' });
  const bot: DiscordAdapter = createDiscordAdapter(app.core, app.config.discord!);
  app.adapters.register(bot);
  await bot.start();
  const until = Date.now() + 10_000;
  while (!bot.client.isReady() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  /** The callback of the interaction and its follow-ups, once they stop coming. */
  const replies = async (from: number): Promise<string> => {
    await fake.waitFor((r) => /\/callback$/.test(r.path), from, 10_000);
    let count = -1;
    for (;;) {
      const got = fake.requests.slice(from).filter((r) => /\/callback$/.test(r.path) || /^\/webhooks\//.test(r.path));
      if (got.length === count && got.every((r) => !(r.body.type === 5))) return got.map(reqText).join('\n');
      if (got.length === count) {
        // deferred: wait for the edit
        await new Promise((r) => setTimeout(r, 100));
      }
      count = got.length;
      await new Promise((r) => setTimeout(r, 150));
    }
  };
  const driver: Driver = {
    platform: 'discord',
    ids: { admin, member: '920000000000000011', otherMember: '920000000000000012', pending: '920000000000000013', stranger: '920000000000000014' },
    workspace: GUILD_ID,
    channel: CHANNEL_ID,
    async command(user, name, args) {
      const from = fake.requests.length;
      const options = name === 'pf' ? [{ name: '質問', type: 3, value: args }] : ['集計', 'グループ', 'エクスポート', '履歴', 'プレビュー'].includes(args) ? [{ name: '操作', type: 3, value: args }] : args ? [{ name: '市町村', type: 3, value: args }] : [];
      fake.dispatch('INTERACTION_CREATE', fake.interaction(2, { id: nextId(), name, type: 1, options }, { userId: user }));
      return replies(from);
    },
    async action(user, action, value, values) {
      const from = fake.requests.length;
      fake.dispatch('INTERACTION_CREATE', fake.interaction(3, { custom_id: encodeCustomId(action, value, 1), component_type: values ? 3 : 2, ...(values ? { values } : {}) }, { userId: user, message: message('前のメッセージ') }));
      return replies(from);
    },
  };
  return { app, driver, stop: async () => { await bot.stop(); await fake.stop(); } };
});

describe('granting resolves real user ids (Slack escaped and unescaped command text)', () => {
  let fake: FakeSlack;
  let app: TestApp;
  let bot: SlackAdapter;
  let files: Server;
  let filesHit = 0;
  let endpoint: string;
  let seq = 100;
  beforeAll(async () => {
    fake = new FakeSlack();
    await fake.start();
    app = await testApp({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING, SLACK_API_URL: fake.apiUrl, ADMIN_USER_IDS: 'slack:UADMIN', MAX_UPLOAD_BYTES: '2048' });
    bot = createSlackAdapter(app.core, app.config.slack!, { port: 0 });
    app.adapters.register(bot);
    await bot.start();
    endpoint = `http://127.0.0.1:${(bot.server!.address() as AddressInfo).port}/slack/events`;
    // a host that is not the configured Slack API: the bot must never call it (nor send it the token)
    files = createServer((_req, res) => {
      filesHit++;
      res.end('名称\n');
    });
    await new Promise<void>((r) => files.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    await bot.stop();
    await fake.stop();
    await new Promise((r) => files.close(r));
    app.dispose();
  });
  const post = async (body: string, type: string): Promise<void> => {
    await fetch(endpoint, { method: 'POST', headers: { 'content-type': type, ...slackSignature(SIGNING, body) }, body });
  };
  const command = async (text: string): Promise<string> => {
    const n = ++seq;
    await post(new URLSearchParams({ command: '/pf', text, user_id: 'UADMIN', user_name: 'admin', team_id: 'T1', channel_id: 'C1', trigger_id: `g-${n}`, response_url: `${fake.url}/respond/${n}` }).toString(), 'application/x-www-form-urlencoded');
    return callText(await fake.waitFor('respond', (c) => c.args.url === `/respond/${n}`, 0, 10_000));
  };

  it('grants with an escaped mention and refuses a plain @name or a display name, granting nothing', async () => {
    // should_escape: false sends what was typed; the bot used to take 「tanaka」 as a user id and report success
    for (const typed of ['@tanaka', '@田中 太郎', 'tanaka']) {
      const text = await command(`権限 付与 ${typed} 市町村 行田市`);
      expect(text, typed).toContain('ユーザーを特定できませんでした');
      expect(text, typed).not.toContain('メンバーにしました');
    }
    expect(app.services.roles.list()).toEqual([]);
    // should_escape: true (the manifests) sends <@U…|name>
    expect(await command('権限 付与 <@U0TANAKA1|tanaka> 市町村 行田市')).toContain('U0TANAKA1 を 行田市 のメンバーにしました');
    expect(app.services.roles.of('slack', 'U0TANAKA1')).toMatchObject({ role: 'member', municipalityId: '行田市' });
  });

  it('checks permission before fetching a shared file, and fetches only from the Slack API host within the size cap', async () => {
    const foreign = `http://127.0.0.1:${(files.address() as AddressInfo).port}/x.csv`;
    const share = async (user: string, url: string, id: string, size?: number): Promise<string> => {
      const from = fake.calls.length;
      const body = JSON.stringify({ team_id: 'T1', api_app_id: 'A1', type: 'event_callback', event_id: id, event: { type: 'message', subtype: 'file_share', channel_type: 'im', user, text: 'インポート', channel: 'D9', ts: `17000000${seq++}.0001`, files: [{ id: 'F1', name: 'x.csv', url_private: url, ...(size ? { size } : {}) }] } });
      await post(body, 'application/json');
      const isReply = (c: { method: string; args: Record<string, unknown> }): boolean => (c.method === 'chat.update' || c.method === 'chat.postMessage') && c.args.channel === 'D9' && !callText(c as never).includes('資料を確認');
      const until = Date.now() + 10_000;
      while (!fake.calls.slice(from).some(isReply) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      return fake.calls.slice(from).filter(isReply).map((c) => callText(c)).join('\n');
    };
    // a non-admin: refused, and nothing fetched, not even from the Slack host
    fake.files.set('ok.csv', Buffer.from('名称\n'));
    const outsider = await share('UOUTSIDER', `${fake.url}/files/ok.csv`, 'Ev-f1');
    expect(outsider).toContain('権限がありません');
    expect(outsider).not.toContain('ファイルを読み込めませんでした');
    // an admin, but the URL is on another host: not fetched (the bot token never leaves for it)
    const elsewhere = await share('UADMIN', foreign, 'Ev-f2');
    expect(elsewhere).toContain('ファイルを読み込めませんでした');
    expect(filesHit).toBe(0);
    // an admin, on the Slack host, but larger than MAX_UPLOAD_BYTES without saying so: stopped at the cap
    fake.files.set('big.csv', Buffer.alloc(10_000, 0x41));
    expect(await share('UADMIN', `${fake.url}/files/big.csv`, 'Ev-f3')).toContain('ファイルが大きすぎます');
  });
});
