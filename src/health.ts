/**
 * What /health reports (issue 17: failures must not look healthy). Each connection the operator
 * configured reports its own state (Slack's token check, Slack's Socket Mode, Discord's gateway);
 * the database is checked with a real write (rolled back); the language model's circuit breaker
 * comes from the assistant. The bot is `unavailable` (HTTP 503) while a configured connection is
 * not ready or the database cannot be written, `degraded` (200) while the model's breaker is open
 * (answers still come, offline), `ok` otherwise.
 */
import type { LlmStatus } from './answering/llm-gate.js';
import type { DatabaseReport } from './store/db.js';

export type { DatabaseReport };

export type ConnectionState = 'starting' | 'ready' | 'reconnecting' | 'down';

/** One connection's state, and since when. */
export interface ConnectionReport {
  state: ConnectionState;
  /** Why it is not ready, in Japanese for the operator. */
  detail?: string;
  /** ISO time of the last change. */
  since: string;
}


/** The body of /health. */
export interface Health {
  status: 'ok' | 'degraded' | 'unavailable';
  /** By name: `slack.auth`, `slack.socket`, `discord.gateway` (only those configured). */
  connections: Record<string, ConnectionReport>;
  database: DatabaseReport;
  /** The language model's state (null when answers are offline by configuration). */
  llm: LlmStatus | null;
  passages: number;
  uptimeSeconds: number;
}

/** The connections' states, set by the adapters as they start, connect, drop and come back. */
export class Connections {
  private readonly states = new Map<string, ConnectionReport>();

  constructor(private readonly now: () => number = Date.now) {}

  set(name: string, state: ConnectionState, detail?: string): void {
    const prev = this.states.get(name);
    if (prev && prev.state === state && prev.detail === detail) return;
    this.states.set(name, { state, ...(detail ? { detail } : {}), since: new Date(this.now()).toISOString() });
  }

  snapshot(): Record<string, ConnectionReport> {
    return Object.fromEntries(this.states);
  }
}

export function overallStatus(connections: Record<string, ConnectionReport>, database: DatabaseReport, llm: LlmStatus | null): Health['status'] {
  if (database.state === 'down' || Object.values(connections).some((c) => c.state !== 'ready')) return 'unavailable';
  if (database.state === 'busy' || (llm && llm.breaker !== 'closed')) return 'degraded';
  return 'ok';
}

/** The HTTP status of a health report: 503 when the bot is not working. */
export const healthHttpStatus = (h: Health): number => (h.status === 'unavailable' ? 503 : 200);

/**
 * A connection that cannot be made at start (a refused token, an API unreachable after the
 * bounded retry): one line for the operator, and the process exits non-zero.
 */
export class StartupError extends Error {
  readonly code = 'STARTUP_FAILED';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
  }
}
