/**
 * Structured logging with pino. Tokens, secrets and authorisation headers are redacted wherever
 * they appear in a logged object; user text is logged only at debug level (callers pass it under
 * `text`, which is removed above debug).
 */
import { pino, type Logger } from 'pino';

const REDACT = [
  '*.token', '*.botToken', '*.appToken', '*.signingSecret', '*.apiKey', '*.authorization', '*.Authorization',
  'token', 'botToken', 'appToken', 'signingSecret', 'apiKey', 'authorization',
  'headers.authorization', 'req.headers.authorization', 'config.slack.botToken', 'config.slack.appToken',
  'config.slack.signingSecret', 'config.discord.token', 'config.openai.apiKey',
];

/** Strings that look like credentials are masked even inside free text (error messages, URLs). */
const SECRET_PATTERNS = [/xox[abposr]-[A-Za-z0-9-]+/g, /xapp-[A-Za-z0-9-]+/g, /sk-[A-Za-z0-9_-]{8,}/g, /Bot\s+[A-Za-z0-9._-]{20,}/g, /[MN][A-Za-z\d_-]{23,25}\.[\w-]{6}\.[\w-]{27,}/g];

export function maskSecrets(text: string): string {
  return SECRET_PATTERNS.reduce((s, re) => s.replace(re, '[秘匿]'), text);
}

export function createLogger(level = 'info', destination?: NodeJS.WritableStream): Logger {
  const debugText = level === 'debug' || level === 'trace';
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: [...REDACT, ...(debugText ? [] : ['text', '*.text'])], censor: '[秘匿]' },
      formatters: { level: (label) => ({ level: label }) },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((a) => (typeof a === 'string' ? maskSecrets(a) : a instanceof Error ? Object.assign(a, { message: maskSecrets(a.message) }) : a));
          method.apply(this, masked as Parameters<typeof method>);
        },
      },
      serializers: { err: (e: Error) => ({ type: e.name, message: maskSecrets(e.message), stack: e.stack ? maskSecrets(e.stack) : undefined }) },
    },
    destination ?? pino.destination({ dest: 2, sync: true }),
  );
}

export type { Logger };
