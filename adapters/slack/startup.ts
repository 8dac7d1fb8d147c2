/**
 * The bot token is checked with auth.test before the bot says it is connected (issue 17: with a
 * revoked token the bot logged 「Slack に接続しました」, /health said ok, and every event was
 * acknowledged and dropped). A token Slack refuses (invalid_auth, token_revoked …) is fatal at
 * once; an API that cannot be reached is retried with growing pauses within the start-up budget
 * (STARTUP_TIMEOUT_MS), each attempt logged, then fatal. https://api.slack.com/methods/auth.test
 */
import { webApi, type Logger as BoltLogger } from '@slack/bolt';
import { STARTUP, StartupError, type Logger } from '../../src/core.js';

/** auth.test errors that no retry can fix. */
const FATAL = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'no_permission', 'org_login_required', 'ekm_access_denied', 'not_allowed_token_type']);

/** Who the token belongs to: Bolt's authorize result (its ignoreSelf middleware uses the ids). */
export interface SlackIdentity {
  botId: string;
  botUserId: string;
  teamId?: string;
  team?: string;
}

export interface VerifyOptions {
  botToken: string;
  apiUrl?: string;
  /** The whole start-up budget in milliseconds. */
  budgetMs: number;
  log: Logger;
  /** The web client's own logger (ours, through boltLogger). */
  clientLogger: BoltLogger;
  /** Told of each failed attempt (for /health). */
  onRetry?: (detail: string) => void;
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A short reason for the log and /health, never the token. */
function reasonOf(error: unknown): string {
  const e = error as { code?: string; data?: { error?: string }; statusCode?: number; original?: { code?: string; message?: string; cause?: { code?: string } }; message?: string };
  if (e.code === webApi.ErrorCode.PlatformError) return e.data?.error ?? 'platform_error';
  if (e.code === webApi.ErrorCode.HTTPError) return `HTTP ${e.statusCode}`;
  if (e.code === webApi.ErrorCode.RateLimitedError) return 'ratelimited';
  // fetch wraps the system's error (ECONNREFUSED, ENOTFOUND …) as its cause
  if (e.code === webApi.ErrorCode.RequestError) return e.original?.cause?.code ?? e.original?.code ?? e.original?.message ?? 'request_error';
  return e.message ?? String(error);
}

/** Resolves with the token's identity, or throws StartupError with one line for the operator. */
export async function verifySlackToken(options: VerifyOptions): Promise<SlackIdentity> {
  const api = options.apiUrl ?? 'https://slack.com/api/';
  // no retries inside the client: the loop below bounds them and says what is happening
  const client = new webApi.WebClient(options.botToken, { ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}), retryConfig: { retries: 0 }, timeout: Math.min(10_000, options.budgetMs), logger: options.clientLogger });
  const started = Date.now();
  let delay = 500;
  for (let attempt = 1; ; attempt++) {
    try {
      const r = await client.auth.test();
      return { botId: String(r.bot_id ?? ''), botUserId: String(r.user_id ?? ''), ...(r.team_id ? { teamId: r.team_id } : {}), ...(r.team ? { team: r.team } : {}) };
    } catch (error) {
      const reason = reasonOf(error);
      const code = (error as { code?: string }).code;
      if (code === webApi.ErrorCode.PlatformError && FATAL.has(reason)) throw new StartupError(STARTUP.slackTokenRefused(reason), { cause: error });
      const elapsed = Date.now() - started;
      if (elapsed + delay > options.budgetMs) throw new StartupError(STARTUP.slackUnreachable(api, attempt, Math.round(elapsed / 1000), reason), { cause: error });
      options.log.warn({ attempt, reason }, STARTUP.slackRetrying(api, attempt, reason));
      options.onRetry?.(STARTUP.slackRetrying(api, attempt, reason));
      await pause(delay);
      delay = Math.min(delay * 2, 10_000);
    }
  }
}
