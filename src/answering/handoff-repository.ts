/** Questions handed to a person at the prefecture's desk, and the desk's replies. */
import type { Db } from '../store/db.js';

export interface Handoff {
  id: number;
  createdAt: number;
  answerId: number | null;
  platform: string;
  workspace: string;
  channel: string;
  thread: string | null;
  userId: string;
  question: string;
  context: string;
  status: 'open' | 'answered';
  reply: string | null;
  repliedBy: string | null;
}

export class HandoffStore {
  constructor(private readonly db: Db) {}

  create(h: Omit<Handoff, 'id' | 'createdAt' | 'status' | 'reply' | 'repliedBy'>, now = Date.now()): Handoff {
    const info = this.db
      .prepare('INSERT INTO handoffs (created_at, answer_id, platform, workspace, channel, thread, user_id, question, context, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(now, h.answerId, h.platform, h.workspace, h.channel, h.thread, h.userId, h.question, h.context, 'open');
    return this.get(Number(info.lastInsertRowid))!;
  }

  get(id: number): Handoff | null {
    const r = this.db.prepare('SELECT * FROM handoffs WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    if (!r) return null;
    return {
      id: Number(r.id),
      createdAt: Number(r.created_at),
      answerId: r.answer_id === null ? null : Number(r.answer_id),
      platform: String(r.platform),
      workspace: String(r.workspace),
      channel: String(r.channel),
      thread: r.thread === null ? null : String(r.thread),
      userId: String(r.user_id),
      question: String(r.question),
      context: String(r.context),
      status: r.status as Handoff['status'],
      reply: r.reply === null ? null : String(r.reply),
      repliedBy: r.replied_by === null ? null : String(r.replied_by),
    };
  }

  /** Records the desk's reply; false if it was already answered (the first reply wins). */
  answer(id: number, reply: string, by: string, now = Date.now()): boolean {
    return this.db.prepare("UPDATE handoffs SET status = 'answered', reply = ?, replied_by = ?, replied_at = ? WHERE id = ? AND status = 'open'").run(reply, by, now, id).changes === 1;
  }
}
