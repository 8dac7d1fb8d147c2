/**
 * /health over HTTP: the core's report (src/engine/health.ts) as JSON, with 503 when the bot is
 * not working, so that a load balancer or systemd's watchdog sees the truth. Slack's HTTP mode
 * serves it on PORT next to /slack/events; HEALTH_PORT serves it in any mode (Socket Mode and
 * Discord open no port otherwise).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { healthHttpStatus, type Health } from '../../src/core.js';

export function respondHealth(res: ServerResponse, health: Health): void {
  res.writeHead(healthHttpStatus(health), { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(health));
}

/** A server that answers GET /health and nothing else; resolves once it listens. */
export async function startHealthServer(port: number, health: () => Health): Promise<Server> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'GET' && (req.url ?? '').split('?')[0] === '/health') return respondHealth(res, health());
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  });
  return server;
}

/** The port a server listens on (0 asks the system for one, as the tests do). */
export const portOf = (server: Server): number => (server.address() as AddressInfo).port;
