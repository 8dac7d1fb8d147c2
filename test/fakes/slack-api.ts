/**
 * A loopback fake of the Slack Web API (and of response_url, file downloads and the Socket Mode
 * WebSocket) for tests. It answers the methods the bot uses, records every call, and checks every
 * message and view it receives against the Block Kit limits.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { blockKitViolations, viewViolations } from '../../adapters/slack/limits.js';

export interface Call {
  method: string;
  args: Record<string, unknown>;
  at: number;
  /** The ts the fake gave a posted message (to match later updates to it). */
  ts?: string;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseArgs(body: Buffer, type: string | undefined): Record<string, unknown> {
  const text = body.toString('utf8');
  if (type?.includes('application/json')) return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(text)) {
    try {
      out[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
    } catch {
      out[k] = v;
    }
  }
  return out;
}

export class FakeSlack {
  readonly calls: Call[] = [];
  readonly violations: string[] = [];
  readonly files = new Map<string, Buffer>();
  readonly uploads: Buffer[] = [];
  private server!: Server;
  private wss?: WebSocketServer;
  private socket?: WebSocket;
  private readonly acks = new Map<string, (payload: unknown) => void>();
  private ts = 1000;
  port = 0;
  /** Errors to answer a method with (Slack's `{ ok: false, error }`): a channel the bot was not invited to. */
  readonly failures = new Map<string, (args: Record<string, unknown>) => string | undefined>();

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  /** Listens on `port` (0: any free one; a fixed one to come up where the bot already looks). */
  async start(port = 0): Promise<void> {
    this.server = createServer(async (req, res) => {
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', this.url);
      const json = (status: number, value: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (url.pathname.startsWith('/files/')) {
        const data = this.files.get(url.pathname.slice('/files/'.length));
        if (!data || req.headers.authorization !== 'Bearer xoxb-test') return json(404, { ok: false });
        res.writeHead(200, { 'content-type': 'text/csv' });
        return res.end(data);
      }
      if (url.pathname.startsWith('/upload/')) {
        this.uploads.push(body);
        res.writeHead(200);
        return res.end('OK');
      }
      const args = parseArgs(body, req.headers['content-type']);
      if (url.pathname.startsWith('/respond/')) {
        this.record('respond', { ...args, url: url.pathname });
        return json(200, { ok: true });
      }
      const method = url.pathname.replace(/^\/api\//, '');
      const call = this.record(method, args);
      if (req.headers.authorization !== 'Bearer xoxb-test' && req.headers.authorization !== 'Bearer xapp-test' && method !== 'auth.test') return json(200, { ok: false, error: 'invalid_auth' });
      const failure = this.failures.get(method)?.(args);
      if (failure) return json(200, { ok: false, error: failure });
      switch (method) {
        case 'conversations.open':
          return json(200, { ok: true, channel: { id: `D${String(args.users ?? '').replace(/^U/, '')}` } });
        case 'auth.test':
          return json(200, { ok: true, user_id: 'UBOT', team_id: 'T1', bot_id: 'BBOT', user: 'pfbot', team: 'Test' });
        case 'apps.connections.open':
          return json(200, { ok: true, url: `ws://127.0.0.1:${this.port}/socket` });
        case 'chat.postMessage':
          call.ts = `${++this.ts}.0001`;
          return json(200, { ok: true, channel: args.channel, ts: call.ts });
        case 'chat.update':
          return json(200, { ok: true, channel: args.channel, ts: args.ts });
        case 'files.getUploadURLExternal':
          return json(200, { ok: true, upload_url: `${this.url}/upload/F${this.ts}`, file_id: `F${++this.ts}` });
        default:
          return json(200, { ok: true });
      }
    });
    this.wss = new WebSocketServer({ server: this.server, path: '/socket' });
    this.wss.on('connection', (ws) => {
      this.socket = ws;
      ws.on('message', (data) => {
        const msg = JSON.parse(String(data)) as { envelope_id: string; payload?: unknown };
        this.acks.get(msg.envelope_id)?.(msg.payload);
      });
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake' }, connection_info: { app_id: 'A1' } }));
    });
    await new Promise<void>((r) => this.server.listen(port, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
  }

  private record(method: string, args: Record<string, unknown>): Call {
    const call: Call = { method, args, at: Date.now() };
    this.calls.push(call);
    if (Array.isArray(args.blocks)) this.violations.push(...blockKitViolations(args.blocks as Record<string, unknown>[]).map((v) => `${method}: ${v}`));
    if (args.view && typeof args.view === 'object') this.violations.push(...viewViolations(args.view as Record<string, unknown>).map((v) => `${method}: ${v}`));
    return call;
  }

  async stop(): Promise<void> {
    this.socket?.close();
    this.wss?.close();
    this.server.closeAllConnections?.();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** Calls of a method made after index `from`. */
  find(method: string, from = 0): Call[] {
    return this.calls.slice(from).filter((c) => c.method === method);
  }

  /** Waits until a call matching the predicate arrives (after `from`). */
  async waitFor(method: string, pred: (c: Call) => boolean = () => true, from = 0, timeoutMs = 5000): Promise<Call> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const hit = this.find(method, from).find(pred);
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`timed out waiting for ${method}; calls: ${this.calls.slice(from).map((c) => c.method).join(', ')}`);
  }

  /** Sends a Socket Mode envelope and resolves with the client's acknowledgement. */
  async envelope(type: string, payload: unknown, envelopeId = `env-${Date.now()}-${Math.random()}`): Promise<unknown> {
    const until = Date.now() + 5000;
    while (!this.socket && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    if (!this.socket) throw new Error('no socket connection');
    const acked = new Promise((resolve) => this.acks.set(envelopeId, resolve));
    this.socket.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api' }));
    return acked;
  }
}

/** Text of everything in a call's blocks (for content checks). */
export function callText(c: Call): string {
  const parts: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.text === 'string') parts.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(c.args.blocks ?? c.args.view ?? c.args);
  if (typeof c.args.text === 'string') parts.push(c.args.text);
  return parts.join('\n');
}

/** Headers for a request signed the way Slack signs it. */
export function slackSignature(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const sig = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': sig };
}
