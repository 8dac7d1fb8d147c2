/**
 * The generated-answer path's limits: one deadline per question covering every network call it
 * makes (query embedding, reranking, chat), and a circuit breaker that stops paying that deadline
 * on every question while the endpoint is failing. The status is a small object the app can read
 * (for /health).
 */
import type { Logger } from '../logger.js';
import { failureOf, type FailureKind } from '../remote.js';

const KIND_TEXT: Record<FailureKind, string> = {
  timeout: '時間内に応答がありません',
  unreachable: '接続できません',
  http: 'エラー応答が返りました',
  malformed: '応答を読み取れません',
  empty: '空の応答が返りました',
  error: '処理に失敗しました',
};

/** One question's budget: a signal that aborts when the budget is spent. */
export interface Deadline {
  signal: AbortSignal;
  /** Milliseconds left. */
  remaining(): number;
}

export type BreakerState = 'closed' | 'open' | 'half_open';

/** What /health can show about the model. */
export interface LlmStatus {
  host: string;
  model: string;
  /** Whether the start-up check reached the endpoint. */
  reachableAtStart: boolean;
  breaker: BreakerState;
  consecutiveFailures: number;
  /** Until when the network is skipped (ISO time), while the breaker is open. */
  openUntil: string | null;
  lastFailure: { kind: FailureKind; at: string } | null;
}

export interface LlmGateOptions {
  host: string;
  model: string;
  /** The one budget per question (LLM_TIMEOUT_MS). */
  timeoutMs: number;
  /** Failed questions in a row that open the breaker. */
  failuresToOpen?: number;
  /** How long the breaker stays open before one question may try again. */
  cooldownMs?: number;
  reachableAtStart?: boolean;
  logger?: Logger;
  now?: () => number;
}

export const FAILURES_TO_OPEN = 3;
export const COOLDOWN_MS = 60_000;

/** Deadline and circuit breaker for one endpoint. */
export class LlmGate {
  readonly host: string;
  readonly model: string;
  readonly timeoutMs: number;
  private readonly failuresToOpen: number;
  private readonly cooldownMs: number;
  private readonly logger: Logger | undefined;
  private readonly now: () => number;
  private readonly reachableAtStart: boolean;
  private failures = 0;
  private openUntil = 0;
  private lastFailure: LlmStatus['lastFailure'] = null;
  /** Failure kinds already logged at warn since the last success (one line per kind, not per question). */
  private readonly logged = new Set<FailureKind>();

  constructor(options: LlmGateOptions) {
    this.host = options.host;
    this.model = options.model;
    this.timeoutMs = options.timeoutMs;
    this.failuresToOpen = options.failuresToOpen ?? FAILURES_TO_OPEN;
    this.cooldownMs = options.cooldownMs ?? COOLDOWN_MS;
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
    this.reachableAtStart = options.reachableAtStart ?? true;
    // unreachable at start: begin open, so the first questions do not each wait for the timeout
    if (!this.reachableAtStart) {
      this.failures = this.failuresToOpen;
      this.openUntil = this.now() + this.cooldownMs;
    }
  }

  get state(): BreakerState {
    if (this.failures < this.failuresToOpen) return 'closed';
    return this.now() < this.openUntil ? 'open' : 'half_open';
  }

  /** Starts a question's budget, or returns null while the breaker is open (no network at all). */
  begin(): Deadline | null {
    if (this.state === 'open') return null;
    const started = this.now();
    const signal = AbortSignal.timeout(this.timeoutMs);
    return { signal, remaining: () => Math.max(0, this.timeoutMs - (this.now() - started)) };
  }

  /** Records a failed call (logged once per kind, with the host; the stack only at debug). */
  fail(what: string, error: unknown, signal?: AbortSignal): FailureKind {
    const { kind, detail } = failureOf(error, signal);
    this.lastFailure = { kind, at: new Date(this.now()).toISOString() };
    const fields = { host: this.host, kind, ...(detail ? { detail } : {}) };
    if (!this.logged.has(kind)) {
      this.logged.add(kind);
      this.logger?.warn(fields, `LLM の${what}: ${KIND_TEXT[kind]}。オフラインの回答を返します`);
    }
    this.logger?.debug({ ...fields, err: error }, `LLM の${what}に失敗しました`);
    return kind;
  }

  /** Ends a question: a failed one counts towards opening the breaker, a good one closes it. */
  finish(ok: boolean): void {
    if (ok) {
      if (this.failures >= this.failuresToOpen) this.logger?.info({ host: this.host }, 'LLM への接続が回復しました');
      this.failures = 0;
      this.logged.clear();
      return;
    }
    this.failures++;
    if (this.failures < this.failuresToOpen) return;
    this.openUntil = this.now() + this.cooldownMs;
    // logged once when it opens; a failed retry after the cooldown reopens it silently
    if (this.failures === this.failuresToOpen) {
      this.logger?.warn({ host: this.host, seconds: Math.round(this.cooldownMs / 1000) }, `LLM の失敗が ${this.failuresToOpen} 回続いたため、しばらくオフラインで回答します`);
    }
  }

  status(): LlmStatus {
    const state = this.state;
    return {
      host: this.host,
      model: this.model,
      reachableAtStart: this.reachableAtStart,
      breaker: state,
      consecutiveFailures: this.failures,
      openUntil: state === 'open' ? new Date(this.openUntil).toISOString() : null,
      lastFailure: this.lastFailure,
    };
  }

  /** The start line's `answers` value. */
  answersLabel(): string {
    return this.reachableAtStart ? `llm:${this.model}` : `offline (LLM unreachable: host ${this.host})`;
  }
}
