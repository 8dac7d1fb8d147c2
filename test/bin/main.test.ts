import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { dataDirWithIndex } from '../helpers/app.js';
import { spawnTs } from '../helpers/spawn.js';
import { FakeOpenAI } from '../fakes/openai-api.js';
import { callText, FakeSlack, slackSignature } from '../fakes/slack-api.js';

const SECRET = 'shutdown-secret';
let slack: FakeSlack;
let openai: FakeOpenAI;

beforeAll(async () => {
  slack = new FakeSlack();
  await slack.start();
  openai = new FakeOpenAI();
  await openai.start();
});
afterAll(async () => {
  await slack.stop();
  await openai.stop();
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('SIGTERM: stop taking work, finish what is in flight, close everything', () => {
  it('lets an in-flight answer finish, then exits cleanly', async () => {
    const port = await freePort();
    openai.delayMs = 1500;
    const child = spawnTs('bin/main.ts', [], {
      cwd: PROJECT_ROOT,
      env: {
        PATH: process.env.PATH ?? '', DATA_DIR: dataDirWithIndex(), PORT: String(port), SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl,
        OPENAI_API_KEY: 'sk-test-key', OPENAI_BASE_URL: openai.baseUrl, EMBEDDINGS: 'offline', LLM_TIMEOUT_MS: '8000', SHUTDOWN_TIMEOUT_MS: '6000', LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let logs = '';
    child.stderr!.on('data', (d: Buffer) => (logs += String(d)));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const until = Date.now() + 30_000;
    let up = false;
    while (!up && Date.now() < until) {
      up = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok).catch(() => false);
      if (!up) await new Promise((r) => setTimeout(r, 100));
    }
    expect(up).toBe(true);
    expect(logs).toContain('起動しました');
    const from = slack.calls.length;
    const body = JSON.stringify({ team_id: 'T1', api_app_id: 'A1', type: 'event_callback', event_id: 'Ev-shutdown-1', event: { type: 'app_mention', user: 'U1', text: '<@UBOT> ツドレバって何社参加した？', channel: 'C1', ts: '1700000009.000100' } });
    const res = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...slackSignature(SECRET, body) }, body });
    expect(res.status).toBe(200);
    // the answer is in flight: Slack's working status is shown under the thread
    await slack.waitFor('assistant.threads.setStatus', (c) => c.args.thread_ts === '1700000009.000100' && c.args.status !== '', from);
    await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGTERM');
    const started = Date.now();
    const answer = await slack.waitFor('chat.postMessage', (c) => c.args.thread_ts === '1700000009.000100', from, 8000);
    expect(callText(answer)).toContain('資料によると');
    expect(await exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(8000);
    expect(logs).toContain('停止します');
    expect(logs).toContain('停止しました');
    expect(logs).not.toContain('xoxb-test');
    expect(logs).not.toContain('sk-test-key');
  }, 60_000);
});
