/**
 * A loopback fake of the Discord REST API and gateway for tests: the real discord.js client logs in
 * (GET /gateway/bot, HELLO, IDENTIFY, READY, GUILD_CREATE), receives the dispatches the test sends,
 * and every request it makes is recorded and checked against Discord's limits.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { discordViolations, modalViolations } from '../../adapters/discord/limits.js';

export interface Req {
  method: string;
  path: string;
  body: Record<string, unknown>;
  files: Buffer[];
  at: number;
}

export const BOT_ID = '900000000000000001';
export const APP_ID = '900000000000000002';
export const GUILD_ID = '900000000000000003';
export const CHANNEL_ID = '900000000000000004';
export const DESK_ID = '900000000000000005';

function read(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

/** payload_json and files of a multipart body (what discord.js sends with attachments). */
function multipart(body: Buffer, type: string): { json: Record<string, unknown>; files: Buffer[] } {
  const boundary = /boundary=(.+)$/.exec(type)?.[1];
  if (!boundary) return { json: {}, files: [] };
  const parts = body.toString('latin1').split(`--${boundary}`);
  let json: Record<string, unknown> = {};
  const files: Buffer[] = [];
  for (const part of parts) {
    const [head, ...rest] = part.split('\r\n\r\n');
    if (!head || !rest.length) continue;
    const content = Buffer.from(rest.join('\r\n\r\n').replace(/\r\n$/, ''), 'latin1');
    if (/name="payload_json"/.test(head)) json = JSON.parse(content.toString('utf8')) as Record<string, unknown>;
    else if (/filename=/.test(head)) files.push(content);
  }
  return { json, files };
}

let snowflake = 910000000000000000n;
export const nextId = (): string => String(++snowflake);

export function user(id: string, name = 'tester'): Record<string, unknown> {
  return { id, username: name, discriminator: '0', global_name: name, avatar: null };
}

export function message(content: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: nextId(), channel_id: CHANNEL_ID, author: { ...user(BOT_ID, 'pfbot'), bot: true }, content, timestamp: new Date().toISOString(), edited_timestamp: null,
    tts: false, mention_everyone: false, mentions: [], mention_roles: [], attachments: [], embeds: [], pinned: false, type: 0, components: [], ...extra,
  };
}

export class FakeDiscord {
  readonly requests: Req[] = [];
  readonly violations: string[] = [];
  readonly attachments = new Map<string, Buffer>();
  private server!: Server;
  private wss!: WebSocketServer;
  private socket?: WebSocket;
  private seq = 0;
  identifies = 0;
  /** Answers GET /gateway/bot with 401, as Discord does for a reset or wrong token. */
  rejectToken = false;
  resumes = 0;
  port = 0;

  get api(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  async start(): Promise<void> {
    this.server = createServer(async (req, res) => {
      const raw = await read(req);
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${this.port}`);
      const type = req.headers['content-type'] ?? '';
      const { json, files } = type.startsWith('multipart/') ? multipart(raw, type) : { json: raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {}, files: [] };
      const path = decodeURIComponent(url.pathname).replace(/^\/api\/v10/, '');
      const send = (status: number, value?: unknown): void => {
        res.writeHead(status, value === undefined ? {} : { 'content-type': 'application/json' });
        res.end(value === undefined ? '' : JSON.stringify(value));
      };
      if (url.pathname.startsWith('/attachments/')) {
        const data = this.attachments.get(url.pathname.slice('/attachments/'.length));
        res.writeHead(data ? 200 : 404);
        return res.end(data ?? '');
      }
      this.requests.push({ method: req.method ?? 'GET', path, body: json, files, at: Date.now() });
      this.check(path, json);
      if (path === '/gateway/bot' && this.rejectToken) return send(401, { message: '401: Unauthorized', code: 0 });
      if (path === '/gateway/bot') return send(200, { url: `ws://127.0.0.1:${this.port}/gateway`, shards: 1, session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 } });
      if (/^\/interactions\/\d+\/[^/]+\/callback$/.test(path)) return send(204);
      if (/^\/webhooks\/\d+\/[^/]+/.test(path)) return send(200, message(String(json.content ?? ''), { embeds: json.embeds ?? [], components: json.components ?? [] }));
      if (/^\/channels\/\d+\/typing$/.test(path)) return send(204);
      const channelMessages = /^\/channels\/(\d+)\/messages$/.exec(path);
      if (channelMessages) return send(200, message(String(json.content ?? ''), { channel_id: channelMessages[1], embeds: json.embeds ?? [], components: json.components ?? [] }));
      const channel = /^\/channels\/(\d+)$/.exec(path);
      if (channel) return send(200, { id: channel[1], type: 0, guild_id: GUILD_ID, name: 'desk', position: 0, permission_overwrites: [] });
      if (path === '/users/@me/channels') return send(200, { id: `8${String(json.recipient_id ?? '').slice(1)}`, type: 1, recipients: [user(String(json.recipient_id))] });
      const u = /^\/users\/(\d+)$/.exec(path);
      if (u) return send(200, user(u[1]!));
      if (/\/commands$/.test(path) && req.method === 'PUT') return send(200, (Array.isArray(json) ? json : []).map((c) => ({ ...c, id: nextId(), application_id: APP_ID, version: '1' })));
      return send(404, { message: 'Unknown', code: 0 });
    });
    this.wss = new WebSocketServer({ server: this.server, path: '/gateway' });
    this.wss.on('connection', (ws) => {
      this.socket = ws;
      ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 45000 } }));
      ws.on('message', (data) => {
        const msg = JSON.parse(String(data)) as { op: number; d: unknown };
        if (msg.op === 1) ws.send(JSON.stringify({ op: 11 }));
        if (msg.op === 2) {
          this.identifies++;
          this.dispatch('READY', {
            v: 10, user: { ...user(BOT_ID, 'pfbot'), bot: true }, guilds: [{ id: GUILD_ID, unavailable: true }], session_id: `sess-${this.identifies}`,
            resume_gateway_url: `ws://127.0.0.1:${this.port}/gateway`, application: { id: APP_ID, flags: 0 }, private_channels: [], relationships: [],
          });
          this.dispatch('GUILD_CREATE', this.guild());
        }
        if (msg.op === 6) {
          this.resumes++;
          this.dispatch('RESUMED', {});
        }
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
  }

  private guild(): Record<string, unknown> {
    const ch = (id: string, name: string) => ({ id, type: 0, name, position: 0, guild_id: GUILD_ID, permission_overwrites: [], nsfw: false, parent_id: null });
    return {
      id: GUILD_ID, name: 'テスト県', icon: null, owner_id: '1', afk_timeout: 300, verification_level: 0, default_message_notifications: 0, explicit_content_filter: 0,
      roles: [{ id: GUILD_ID, name: '@everyone', color: 0, hoist: false, position: 0, permissions: '0', managed: false, mentionable: false, flags: 0 }],
      emojis: [], features: [], mfa_level: 0, system_channel_flags: 0, premium_tier: 0, preferred_locale: 'ja', nsfw_level: 0, member_count: 3,
      joined_at: new Date().toISOString(), large: false, unavailable: false, channels: [ch(CHANNEL_ID, 'general'), ch(DESK_ID, 'desk')], threads: [], members: [],
      presences: [], voice_states: [], stage_instances: [], guild_scheduled_events: [], stickers: [],
    };
  }

  private check(path: string, body: Record<string, unknown>): void {
    const data = (/\/callback$/.test(path) ? (body.data as Record<string, unknown> | undefined) : body) ?? {};
    if (/\/callback$/.test(path) && body.type === 9) this.violations.push(...modalViolations(data).map((v) => `${path}: ${v}`));
    else if (data.embeds || data.components || data.content) this.violations.push(...discordViolations(data).map((v) => `${path}: ${v}`));
  }

  /** Sends a gateway dispatch (INTERACTION_CREATE, MESSAGE_CREATE, …). */
  dispatch(t: string, d: unknown): void {
    this.socket?.send(JSON.stringify({ op: 0, t, s: ++this.seq, d }));
  }

  /** Drops the gateway connection the way Discord does when it wants the client to resume. */
  drop(code = 4000): void {
    this.socket?.close(code, 'fake reconnect');
  }

  async stop(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    this.wss.close();
    this.server.closeAllConnections?.();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  find(pred: (r: Req) => boolean, from = 0): Req[] {
    return this.requests.slice(from).filter(pred);
  }

  async waitFor(pred: (r: Req) => boolean, from = 0, timeoutMs = 5000): Promise<Req> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const hit = this.find(pred, from)[0];
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`timed out; requests: ${this.requests.slice(from).map((r) => `${r.method} ${r.path}`).join(', ')}`);
  }

  /** An interaction as Discord sends it in INTERACTION_CREATE. */
  interaction(type: number, data: Record<string, unknown>, options: { userId?: string; channelId?: string; dm?: boolean; message?: Record<string, unknown> } = {}): Record<string, unknown> {
    const id = nextId();
    const u = user(options.userId ?? '920000000000000001');
    return {
      id, application_id: APP_ID, type, data, token: `tok-${id}`, version: 1, locale: 'ja', app_permissions: '0', entitlements: [], authorizing_integration_owners: {}, context: options.dm ? 1 : 0,
      channel_id: options.channelId ?? CHANNEL_ID,
      channel: { id: options.channelId ?? CHANNEL_ID, type: options.dm ? 1 : 0 },
      ...(options.dm ? { user: u } : { guild_id: GUILD_ID, guild_locale: 'ja', member: { user: u, roles: [], permissions: '0', joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 } }),
      ...(options.message ? { message: options.message } : {}),
    };
  }
}

/** All text in a recorded request's embeds/content (for content checks). */
export function reqText(r: Req): string {
  const data = (r.body.data as Record<string, unknown> | undefined) ?? r.body;
  const parts: string[] = [String(data.content ?? '')];
  for (const e of (data.embeds as Record<string, unknown>[] | undefined) ?? []) {
    parts.push(String(e.title ?? ''), String(e.description ?? ''), String((e.footer as { text?: string } | undefined)?.text ?? ''));
    for (const f of (e.fields as { name: string; value: string }[] | undefined) ?? []) parts.push(f.name, f.value);
  }
  return parts.join('\n');
}

/** The components (buttons/selects) in a recorded request. */
export function reqComponents(r: Req): Record<string, unknown>[] {
  const data = (r.body.data as Record<string, unknown> | undefined) ?? r.body;
  return ((data.components as Record<string, unknown>[] | undefined) ?? []).flatMap((row) => (row.components as Record<string, unknown>[]) ?? []);
}
