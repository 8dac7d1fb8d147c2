/**
 * Configuration: the environment (and an optional .env file), parsed once with zod into a typed
 * object. A wrong value stops start-up with one line naming the variable and what is expected;
 * the bot never starts half-configured.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_TIME_ZONE, isTimeZone } from './csv/time.js';

/** The project root (where package.json is), whatever the working directory. */
export const PROJECT_ROOT = resolve(import.meta.dirname, '..');

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const url = (what: string) =>
  optionalString.refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), { message: `${what}の URL（http:// または https:// で始まる）を指定してください` });

const positiveInt = (fallback: number, what: string, max = Number.MAX_SAFE_INTEGER) =>
  optionalString
    .refine((v) => v === undefined || (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= max), { message: `${what}は 1〜${max === Number.MAX_SAFE_INTEGER ? '' : max} の整数で指定してください` })
    .transform((v) => (v === undefined ? fallback : Number(v)));

const EnvSchema = z.object({
  DATA_DIR: optionalString,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional().default('info'),
  SLACK_BOT_TOKEN: optionalString.refine((v) => v === undefined || v.startsWith('xoxb-'), { message: 'ボットトークン（xoxb- で始まる）を指定してください' }),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString.refine((v) => v === undefined || v.startsWith('xapp-'), { message: 'アプリレベルトークン（xapp- で始まる）を指定してください' }),
  SLACK_API_URL: url('Slack API '),
  SLACK_DESK_CHANNEL: optionalString,
  PORT: positiveInt(3000, 'ポート番号', 65535),
  DISCORD_TOKEN: optionalString,
  DISCORD_APPLICATION_ID: optionalString.refine((v) => v === undefined || /^\d{5,25}$/.test(v), { message: 'アプリケーション ID（数字）を指定してください' }),
  DISCORD_API_URL: url('Discord API '),
  DISCORD_GUILD_ID: optionalString.refine((v) => v === undefined || /^\d{5,25}$/.test(v), { message: 'サーバー（ギルド）ID（数字）を指定してください' }),
  DISCORD_DESK_CHANNEL: optionalString,
  TERMINAL_DESK_FILE: optionalString,
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: url('OpenAI 互換サーバーの '),
  OPENAI_MODEL: optionalString.default('gpt-4o-mini'),
  OPENAI_EMBEDDING_MODEL: optionalString,
  EMBEDDINGS: z.enum(['auto', 'offline', 'openai']).optional().default('auto'),
  LLM_TIMEOUT_MS: positiveInt(6000, 'LLM のタイムアウト（ミリ秒）', 120_000),
  ADMIN_USER_IDS: optionalString,
  MUNICIPALITIES_FILE: optionalString,
  CHECKLIST_FILE: optionalString,
  LOCAL_KNOWLEDGE_DIR: optionalString,
  FLOW_IDLE_MINUTES: positiveInt(30, 'フローの有効時間（分）', 7 * 24 * 60),
  RATE_LIMIT_PER_MINUTE: positiveInt(20, '1分あたりの上限回数', 10_000),
  MAX_MESSAGE_CHARS: positiveInt(2000, 'メッセージの最大文字数', 100_000),
  MAX_UPLOAD_BYTES: positiveInt(5 * 1024 * 1024, 'アップロードの最大バイト数', 100 * 1024 * 1024),
  SHUTDOWN_TIMEOUT_MS: positiveInt(10_000, '終了待ち時間（ミリ秒）', 600_000),
  TZ: optionalString,
  RETENTION_DAYS: positiveInt(180, '質問の記録などの保存日数', 3650),
  STARTUP_TIMEOUT_MS: positiveInt(60_000, '起動時に接続を試す時間（ミリ秒）', 3_600_000),
  HEALTH_PORT: optionalString.refine((v) => v === undefined || (/^\d+$/.test(v) && Number(v) <= 65535), { message: 'ヘルスチェックのポート番号は 0〜65535 の整数で指定してください' }),
});

export interface Config {
  dataDir: string;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  knowledgeDir: string;
  localKnowledgeDirs: string[];
  /** Prefecture municipality list (CSV or JSON), or null for free-name mode. */
  municipalitiesFile: string | null;
  /** The prefecture's checklist definition (JSON), or null for the handbook's template 図6. */
  checklistFile: string | null;
  slack: null | {
    botToken: string;
    signingSecret?: string;
    appToken?: string;
    apiUrl?: string;
    port: number;
  };
  discord: null | {
    token: string;
    applicationId?: string;
    apiUrl?: string;
    guildId?: string;
  };
  openai: null | {
    apiKey: string;
    baseUrl?: string;
    model: string;
    embeddingModel: string;
    timeoutMs: number;
  };
  /** The desk channel of each platform (where hand-offs go), by the platform's adapter id. */
  deskChannels: Record<string, string>;
  /** The terminal's desk: a local file hand-offs are appended to, for the admin to read (TERMINAL_DESK_FILE). */
  terminalDeskFile: string | null;
  /** Which embedder the vector index uses. */
  embeddings: 'offline' | 'openai';
  port: number;
  /** Admin platform user ids, as "platform:id" (a bare id is an admin on every platform). */
  adminUserIds: string[];
  flowIdleMinutes: number;
  rateLimitPerMinute: number;
  maxMessageChars: number;
  maxUploadBytes: number;
  shutdownTimeoutMs: number;
  /** Time zone of exported timestamps and file names: `TZ` when it names a known zone, else Asia/Tokyo. */
  timeZone: string;
  /** Days that question logs, feedback, hand-offs and abandoned flows are kept (RETENTION_DAYS). */
  retentionDays: number;
  /** How long start-up tries to reach Slack or Discord before it fails (STARTUP_TIMEOUT_MS). */
  startupTimeoutMs: number;
  /** A port that serves /health in any mode (HEALTH_PORT); Slack's HTTP mode serves it on PORT as well. */
  healthPort: number | null;
}

/** The terminal's desk as a channel id: hand-offs addressed to it go to TERMINAL_DESK_FILE. */
export const TERMINAL_DESK_CHANNEL = 'desk-file';

/** A configuration problem, reported as one line. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(
    readonly variable: string,
    readonly expected: string,
  ) {
    super(`設定エラー: ${variable} — ${expected}`);
    this.name = 'ConfigError';
  }
}

/** Reads `.env` from the working directory (values already in the environment win). */
export function readDotenv(cwd = process.cwd()): Record<string, string> {
  const file = join(cwd, '.env');
  return existsSync(file) ? parseDotenv(readFileSync(file)) : {};
}

function absolute(path: string, base: string): string {
  return isAbsolute(path) ? path : resolve(base, path);
}

/** Parses the environment into a Config, or throws ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = { ...readDotenv(), ...process.env }, cwd = process.cwd()): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? '環境変数');
    const expected = issue.code === 'invalid_value' ? `次のどれかを指定してください: ${(issue as { values?: unknown[] }).values?.join(', ')}` : issue.message;
    throw new ConfigError(variable, expected);
  }
  const e = parsed.data;
  if (e.SLACK_APP_TOKEN && !e.SLACK_BOT_TOKEN) throw new ConfigError('SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN を使う場合はボットトークン（xoxb-）も必要です');
  if (e.SLACK_BOT_TOKEN && !e.SLACK_APP_TOKEN && !e.SLACK_SIGNING_SECRET) {
    throw new ConfigError('SLACK_SIGNING_SECRET', 'HTTP モード（SLACK_APP_TOKEN なし）では署名シークレットが必要です');
  }
  if (e.EMBEDDINGS === 'openai' && !e.OPENAI_API_KEY) throw new ConfigError('OPENAI_API_KEY', 'EMBEDDINGS=openai には API キーが必要です');
  const dataDir = absolute(e.DATA_DIR ?? 'data', cwd);
  const municipalities = e.MUNICIPALITIES_FILE;
  return {
    dataDir,
    logLevel: e.LOG_LEVEL,
    knowledgeDir: join(PROJECT_ROOT, 'knowledge'),
    localKnowledgeDirs: [absolute(e.LOCAL_KNOWLEDGE_DIR ?? join(PROJECT_ROOT, 'knowledge', 'local'), cwd)],
    municipalitiesFile:
      municipalities === 'none' ? null : absolute(municipalities ?? join(PROJECT_ROOT, 'knowledge', 'municipalities', 'saitama.csv'), cwd),
    checklistFile: e.CHECKLIST_FILE ? absolute(e.CHECKLIST_FILE, cwd) : null,
    slack: e.SLACK_BOT_TOKEN
      ? {
          botToken: e.SLACK_BOT_TOKEN,
          ...(e.SLACK_SIGNING_SECRET ? { signingSecret: e.SLACK_SIGNING_SECRET } : {}),
          ...(e.SLACK_APP_TOKEN ? { appToken: e.SLACK_APP_TOKEN } : {}),
          ...(e.SLACK_API_URL ? { apiUrl: e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/` } : {}),
          port: e.PORT,
        }
      : null,
    discord: e.DISCORD_TOKEN
      ? {
          token: e.DISCORD_TOKEN,
          ...(e.DISCORD_APPLICATION_ID ? { applicationId: e.DISCORD_APPLICATION_ID } : {}),
          ...(e.DISCORD_API_URL ? { apiUrl: e.DISCORD_API_URL.replace(/\/$/, '') } : {}),
          ...(e.DISCORD_GUILD_ID ? { guildId: e.DISCORD_GUILD_ID } : {}),
        }
      : null,
    openai: e.OPENAI_API_KEY
      ? {
          apiKey: e.OPENAI_API_KEY,
          ...(e.OPENAI_BASE_URL ? { baseUrl: e.OPENAI_BASE_URL } : {}),
          model: e.OPENAI_MODEL ?? 'gpt-4o-mini',
          embeddingModel: e.OPENAI_EMBEDDING_MODEL ?? 'text-embedding-3-small',
          timeoutMs: e.LLM_TIMEOUT_MS,
        }
      : null,
    deskChannels: {
      ...(e.SLACK_BOT_TOKEN && e.SLACK_DESK_CHANNEL ? { slack: e.SLACK_DESK_CHANNEL } : {}),
      ...(e.DISCORD_TOKEN && e.DISCORD_DESK_CHANNEL ? { discord: e.DISCORD_DESK_CHANNEL } : {}),
      ...(e.TERMINAL_DESK_FILE ? { terminal: TERMINAL_DESK_CHANNEL } : {}),
    },
    terminalDeskFile: e.TERMINAL_DESK_FILE ? absolute(e.TERMINAL_DESK_FILE, cwd) : null,
    embeddings: e.EMBEDDINGS === 'offline' || !e.OPENAI_API_KEY ? 'offline' : 'openai',
    port: e.PORT,
    adminUserIds: (e.ADMIN_USER_IDS ?? '').split(/[,\s]+/).filter(Boolean),
    flowIdleMinutes: e.FLOW_IDLE_MINUTES,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    maxMessageChars: e.MAX_MESSAGE_CHARS,
    maxUploadBytes: e.MAX_UPLOAD_BYTES,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    // TZ is often set by the system (`:/etc/localtime`, or unset): a name the runtime does not know falls back
    timeZone: e.TZ && isTimeZone(e.TZ) ? e.TZ : DEFAULT_TIME_ZONE,
    retentionDays: e.RETENTION_DAYS,
    startupTimeoutMs: e.STARTUP_TIMEOUT_MS,
    healthPort: e.HEALTH_PORT === undefined ? null : Number(e.HEALTH_PORT),
  };
}
