/**
 * Failures must not look healthy (issue 17), as an operator meets them: the real `npm start`
 * process against the loopback fake of Slack. A token Slack refuses stops it with one Japanese line
 * and exit 1 (never 「Slack に接続しました」); an unusable DATA_DIR fails at once naming the
 * variable, where it used to hang with no output.
 */
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { STARTUP } from '../../src/messages/startup.js';
import { dataDirWithIndex } from '../helpers/app.js';
import { runTs } from '../helpers/spawn.js';
import { FakeSlack } from '../fakes/slack-api.js';

const SECRET = 'startup-signing-secret';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

describe('start-up fails loudly (real npm start process)', () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = new FakeSlack();
    await fake.start();
    fake.failures.set('auth.test', () => 'invalid_auth');
  });
  afterAll(() => fake.stop());

  it('a revoked Slack token: one Japanese line naming SLACK_BOT_TOKEN, exit 1, never 「Slack に接続しました」', async () => {
    const port = await freePort();
    const ran = await runTs('bin/main.ts', [], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDirWithIndex(), PORT: String(port), SLACK_BOT_TOKEN: 'xoxb-revoked', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl, LOG_LEVEL: 'info' },
      timeoutMs: 90_000,
    });
    expect(ran.status).toBe(1);
    const lastLine = ran.stderr.trim().split('\n').at(-1)!;
    expect(lastLine).toBe(`起動できませんでした: ${STARTUP.slackTokenRefused('invalid_auth')}`);
    expect(ran.stdout + ran.stderr).not.toContain('Slack に接続しました');
    expect(fake.calls.some((c) => c.method === 'auth.test')).toBe(true);
  }, 120_000);

  it('an unusable DATA_DIR fails at once with a line naming the variable, not a hang', async () => {
    const started = Date.now();
    const ran = await runTs('bin/main.ts', [], { cwd: PROJECT_ROOT, env: { PATH: process.env.PATH ?? '', DATA_DIR: '/proc/x' }, timeoutMs: 60_000 });
    expect(ran.status).toBe(1);
    expect(ran.stderr.trim()).toBe('設定エラー: DATA_DIR — データフォルダ「/proc/x」を作成できないか、書き込めません（ENOENT）。書き込みできるフォルダを指定してください');
    expect(Date.now() - started).toBeLessThan(55_000);
  }, 70_000);
});
