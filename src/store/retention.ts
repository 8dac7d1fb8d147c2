/**
 * Retention of what users typed (issue 17): question logs (answers, and the last question of each
 * conversation), feedback, hand-offs and abandoned flows (drafts included) older than
 * RETENTION_DAYS are deleted, at start and once a day. Checklist answers, providers, roles and
 * membership requests are the prefecture's records and are kept.
 */
import type { Db } from './db.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** How many rows each pruning deleted. */
export interface Pruned {
  answers: number;
  feedback: number;
  handoffs: number;
  conversations: number;
  flows: number;
}

export function pruneOld(db: Db, retentionDays: number, now = Date.now()): Pruned {
  const cutoff = now - retentionDays * DAY_MS;
  return db.transaction(() => {
    const old = 'SELECT id FROM answers WHERE created_at < @cutoff';
    const feedback = db.prepare(`DELETE FROM feedback WHERE created_at < @cutoff OR answer_id IN (${old})`).run({ cutoff }).changes;
    const handoffs = db.prepare('DELETE FROM handoffs WHERE created_at < @cutoff').run({ cutoff }).changes;
    // a newer hand-off keeps its own copy of the question; only its link to the old log goes
    db.prepare(`UPDATE handoffs SET answer_id = NULL WHERE answer_id IN (${old})`).run({ cutoff });
    db.prepare(`UPDATE conversations SET last_answer_id = NULL WHERE last_answer_id IN (${old})`).run({ cutoff });
    const answers = db.prepare('DELETE FROM answers WHERE created_at < @cutoff').run({ cutoff }).changes;
    const conversations = db.prepare('DELETE FROM conversations WHERE updated_at < @cutoff').run({ cutoff }).changes;
    const flows = db.prepare('DELETE FROM flows WHERE expires_at < @cutoff').run({ cutoff }).changes;
    return { answers, feedback, handoffs, conversations, flows };
  }).immediate();
}
