/** Persisted flow state, keyed by conversation (platform, workspace, channel, user). */
import type { Db } from './db.js';

export interface FlowRecord {
  convKey: string;
  flowId: string;
  flowVersion: number;
  state: unknown;
  history: unknown[];
  updatedAt: number;
  expiresAt: number;
}

export interface ConversationRef {
  platform: string;
  workspace: string;
  channel: string;
  userId: string;
}

export function conversationKey(c: ConversationRef): string {
  return [c.platform, c.workspace, c.channel, c.userId].join('|');
}

interface Row {
  conv_key: string;
  flow_id: string;
  flow_version: number;
  state: string;
  history: string;
  updated_at: number;
  expires_at: number;
}

export class FlowStore {
  private readonly getStmt;
  private readonly upsertStmt;
  private readonly deleteStmt;

  constructor(private readonly db: Db) {
    this.getStmt = db.prepare<[string], Row>('SELECT * FROM flows WHERE conv_key = ?');
    this.upsertStmt = db.prepare(
      `INSERT INTO flows (conv_key, platform, workspace, channel, user_id, flow_id, flow_version, state, history, updated_at, expires_at)
       VALUES (@convKey, @platform, @workspace, @channel, @userId, @flowId, @flowVersion, @state, @history, @updatedAt, @expiresAt)
       ON CONFLICT (conv_key) DO UPDATE SET flow_id = excluded.flow_id, flow_version = excluded.flow_version, state = excluded.state,
         history = excluded.history, updated_at = excluded.updated_at, expires_at = excluded.expires_at`,
    );
    this.deleteStmt = db.prepare('DELETE FROM flows WHERE conv_key = ?');
  }

  get(convKey: string): FlowRecord | null {
    const row = this.getStmt.get(convKey);
    if (!row) return null;
    return {
      convKey: row.conv_key,
      flowId: row.flow_id,
      flowVersion: row.flow_version,
      state: JSON.parse(row.state),
      history: JSON.parse(row.history) as unknown[],
      updatedAt: row.updated_at,
      expiresAt: row.expires_at,
    };
  }

  save(ref: ConversationRef, record: Omit<FlowRecord, 'convKey'>): void {
    this.upsertStmt.run({
      convKey: conversationKey(ref),
      platform: ref.platform,
      workspace: ref.workspace,
      channel: ref.channel,
      userId: ref.userId,
      flowId: record.flowId,
      flowVersion: record.flowVersion,
      state: JSON.stringify(record.state),
      history: JSON.stringify(record.history),
      updatedAt: record.updatedAt,
      expiresAt: record.expiresAt,
    });
  }

  /** Runs `fn` in one transaction (nested calls become savepoints): a flow step's writes with its state. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  delete(convKey: string): void {
    this.deleteStmt.run(convKey);
  }
}
