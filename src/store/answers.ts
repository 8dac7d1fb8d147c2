/** Answers given, votes on them, and the last question of each conversation (for follow-ups). */
import type { Citation } from '../knowledge/citation.js';
import type { Db } from './db.js';

export interface AnswerLog {
  platform: string;
  workspace: string;
  channel: string;
  thread?: string;
  userId: string;
  question: string;
  intent: string;
  outOfScope: boolean;
  probability: number;
  citations: Citation[];
  usedLlm: boolean;
}

export interface StoredAnswer extends AnswerLog {
  id: number;
  createdAt: number;
}

/** How long a conversation remembers its last question for follow-ups. */
export const FOLLOW_UP_WINDOW_MS = 30 * 60 * 1000;

export class AnswerStore {
  constructor(private readonly db: Db) {}

  log(a: AnswerLog, now = Date.now()): number {
    const info = this.db
      .prepare(
        `INSERT INTO answers (created_at, platform, workspace, channel, thread, user_id, question, intent, out_of_scope, probability, citations, used_llm)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(now, a.platform, a.workspace, a.channel, a.thread ?? null, a.userId, a.question, a.intent, a.outOfScope ? 1 : 0, a.probability,
        JSON.stringify(a.citations.map((c) => ({ passageId: c.passageId, source: c.source, title: c.title, page: c.page }))), a.usedLlm ? 1 : 0);
    return Number(info.lastInsertRowid);
  }

  get(id: number): StoredAnswer | null {
    const row = this.db.prepare('SELECT * FROM answers WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    if (!row) return null;
    return {
      id: Number(row.id),
      createdAt: Number(row.created_at),
      platform: String(row.platform),
      workspace: String(row.workspace),
      channel: String(row.channel),
      ...(row.thread ? { thread: String(row.thread) } : {}),
      userId: String(row.user_id),
      question: String(row.question),
      intent: String(row.intent),
      outOfScope: row.out_of_scope === 1,
      probability: Number(row.probability),
      citations: JSON.parse(String(row.citations)) as Citation[],
      usedLlm: row.used_llm === 1,
    };
  }

  /** Records (or changes) a user's vote; returns false if the answer does not exist. */
  vote(answerId: number, userId: string, vote: 1 | -1, now = Date.now()): boolean {
    if (!this.get(answerId)) return false;
    this.db
      .prepare('INSERT INTO feedback (answer_id, user_id, vote, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (answer_id, user_id) DO UPDATE SET vote = excluded.vote, created_at = excluded.created_at')
      .run(answerId, userId, vote, now);
    return true;
  }

  rememberQuestion(convKey: string, question: string, answerId: number | null, now = Date.now()): void {
    this.db
      .prepare('INSERT INTO conversations (conv_key, last_question, last_answer_id, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (conv_key) DO UPDATE SET last_question = excluded.last_question, last_answer_id = excluded.last_answer_id, updated_at = excluded.updated_at')
      .run(convKey, question, answerId, now);
  }

  lastQuestion(convKey: string, now = Date.now()): string | null {
    const row = this.db.prepare('SELECT last_question, updated_at FROM conversations WHERE conv_key = ?').get(convKey) as { last_question: string; updated_at: number } | undefined;
    return row && now - row.updated_at <= FOLLOW_UP_WINDOW_MS ? row.last_question : null;
  }
}
