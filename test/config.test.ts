import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, PROJECT_ROOT, readDotenv } from '../src/config.js';
import { tempDir } from './helpers/app.js';
import { runTs } from './helpers/spawn.js';

describe('configuration', () => {
  it('defaults to an offline terminal bot with a git-ignored data folder', () => {
    const c = loadConfig({}, PROJECT_ROOT);
    expect(c.slack).toBeNull();
    expect(c.discord).toBeNull();
    expect(c.openai).toBeNull();
    expect(c.embeddings).toBe('offline');
    expect(c.dataDir).toBe(join(PROJECT_ROOT, 'data'));
    expect(c.port).toBe(3000);
  });

  it('reads Slack, Discord and OpenAI settings and knows their modes', () => {
    const c = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_API_URL: 'https://slack.example.go.jp/api', DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: '123456',
      OPENAI_API_KEY: 'sk-x', OPENAI_BASE_URL: 'http://localhost:11434/v1', ADMIN_USER_IDS: 'slack:U1, discord:2',
    });
    expect(c.slack).toMatchObject({ appToken: 'xapp-1', apiUrl: 'https://slack.example.go.jp/api/' });
    expect(c.discord).toMatchObject({ applicationId: '123456' });
    expect(c.openai).toMatchObject({ baseUrl: 'http://localhost:11434/v1', model: 'gpt-4o-mini', embeddingModel: 'text-embedding-3-small' });
    expect(c.embeddings).toBe('openai');
    expect(c.adminUserIds).toEqual(['slack:U1', 'discord:2']);
  });

  it('stops with one line naming the variable and what is expected', () => {
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ PORT: 'abc' }, 'PORT', /1〜65535 の整数/],
      [{ SLACK_BOT_TOKEN: 'nope' }, 'SLACK_BOT_TOKEN', /xoxb-/],
      [{ SLACK_BOT_TOKEN: 'xoxb-1' }, 'SLACK_SIGNING_SECRET', /署名シークレット/],
      [{ SLACK_APP_TOKEN: 'xapp-1' }, 'SLACK_BOT_TOKEN', /ボットトークン/],
      [{ OPENAI_BASE_URL: 'localhost:11434' }, 'OPENAI_BASE_URL', /http:\/\//],
      [{ EMBEDDINGS: 'openai' }, 'OPENAI_API_KEY', /API キー/],
      [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', /次のどれか/],
      [{ DISCORD_APPLICATION_ID: 'abc' }, 'DISCORD_APPLICATION_ID', /数字/],
    ];
    for (const [env, variable, expected] of cases) {
      let error: unknown;
      try {
        loadConfig(env);
      } catch (e) {
        error = e;
      }
      expect(error, variable).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variable).toBe(variable);
      expect((error as ConfigError).message).toMatch(expected);
      expect((error as ConfigError).message.split('\n')).toHaveLength(1);
    }
  });

  it('reads an optional .env file, the environment winning', () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.env'), 'PORT=4000\nLOG_LEVEL=debug\n');
    const env = { ...readDotenv(dir), LOG_LEVEL: 'warn' };
    const c = loadConfig(env, dir);
    expect(c.port).toBe(4000);
    expect(c.logLevel).toBe('warn');
  });

  it('refuses to start half-configured: npm start prints the one line and exits', async () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    const r = await runTs('bin/main.ts', [], { cwd: dir, env: { PATH: process.env.PATH ?? '', PORT: '99999' } });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('設定エラー: PORT — ポート番号は 1〜65535 の整数で指定してください');
  });
});
