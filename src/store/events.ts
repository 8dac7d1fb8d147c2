/**
 * Delivery de-duplication: platforms retry (Slack re-sends an event it thinks was lost, with
 * X-Slack-Retry-Num), so each inbound event id is claimed once with an atomic insert.
 */
import type { Db } from './db.js';

const KEEP_MS = 24 * 60 * 60 * 1000;

export class EventLedger {
  private readonly claimStmt;
  private readonly pruneStmt;
  private claims = 0;

  constructor(private readonly db: Db) {
    this.claimStmt = db.prepare('INSERT OR IGNORE INTO processed_events (event_key, processed_at) VALUES (?, ?)');
    this.pruneStmt = db.prepare('DELETE FROM processed_events WHERE processed_at < ?');
  }

  /** Gives a claim back (the handling failed): the platform's retry is then answered, not dropped. */
  release(key: string): void {
    this.db.prepare('DELETE FROM processed_events WHERE event_key = ?').run(key);
  }

  /** True the first time a key is seen; false for every repeat. */
  claim(key: string, now = Date.now()): boolean {
    if (++this.claims % 1000 === 0) this.pruneStmt.run(now - KEEP_MS);
    return this.claimStmt.run(key, now).changes === 1;
  }
}
