/**
 * The batches of a provider import (merge.ts) that outlive one writer: the timed write
 * transaction, the undo of an uncommitted import, the roll-forward of a committed one's changes,
 * and, at start, the recovery of imports whose process died. Split from merge.ts so that each file
 * reads on its own: merge.ts writes an import, this file finishes or undoes one.
 */
import { hostname } from 'node:os';
import type { Db } from '../store/db.js';

/** An import whose process no one can check (another host) is abandoned after this long without a batch. */
export const STALE_MS = 10 * 60_000;

/** How long the write lock was held: per transaction at most, and in total. */
export interface LockStats {
  transactions: number;
  longestMs: number;
  totalMs: number;
}

export const OWNER = `${hostname()}:${process.pid}`;
/** Imports this process is running (its own rows in provider_imports are not abandoned). */
export const RUNNING = new Set<number>();

/** Runs `work` in one write transaction, timing how long the lock was held (from BEGIN IMMEDIATE's return to COMMIT's). */
export function locked<T>(db: Db, stats: LockStats | null, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  const started = performance.now();
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  } finally {
    if (stats) {
      const ms = performance.now() - started;
      stats.transactions++;
      stats.totalMs += ms;
      stats.longestMs = Math.max(stats.longestMs, ms);
    }
  }
}

interface OpenImport {
  id: number;
  state: 'writing' | 'committed';
  owner: string;
  heartbeat_at: number;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the process that ran an import is gone (same host: its pid; another host: no batch for STALE_MS). */
export function abandoned(o: OpenImport, now: number): boolean {
  const at = o.owner.lastIndexOf(':');
  const host = o.owner.slice(0, at);
  const pid = Number(o.owner.slice(at + 1));
  if (host !== hostname()) return now - o.heartbeat_at > STALE_MS;
  if (pid === process.pid) return !RUNNING.has(o.id);
  return !alive(pid);
}

export const openImports = (db: Db): OpenImport[] => db.prepare("SELECT id, state, owner, heartbeat_at FROM provider_imports WHERE state IN ('writing', 'committed') ORDER BY id").all() as OpenImport[];

/**
 * Finishes what an ended process left: an import cut short before its commit is undone, one cut
 * short after it gets its remaining changes. Cheap when there is nothing to do (one indexed read):
 * every entry point calls it at start (services.ts), and every import before it begins.
 */
export function recoverImports(db: Db, now = Date.now()): { rolledBack: number; finished: number } {
  let rolledBack = 0;
  let finished = 0;
  for (const o of openImports(db)) {
    if (!abandoned(o, now)) continue;
    if (o.state === 'writing') {
      undo(db, o.id, null);
      rolledBack++;
    } else {
      while (applyChanges(db, o.id, 2000, now, null) > 0);
      finished++;
    }
  }
  return { rolledBack, finished };
}

/** Deletes an uncommitted import's rows (batch by batch, from its undo record) and marks it rolled back; at start, nothing else waits. */
export function undo(db: Db, importId: number, stats: LockStats | null, rows = 2000): void {
  while (!undoBatch(db, importId, stats, rows));
}

/** Deletes up to `rows` of an uncommitted import's providers in one transaction; when none remain, marks it rolled back and returns true. */
export function undoBatch(db: Db, importId: number, stats: LockStats | null, rows: number): boolean {
  return locked(db, stats, () => {
    const ids = db.prepare('SELECT id FROM main.provider_hidden WHERE import_id = ? ORDER BY id LIMIT ?').pluck().all(importId, rows) as number[];
    if (!ids.length) {
      db.prepare('DELETE FROM main.provider_import_changes WHERE import_id = ?').run(importId);
      db.prepare("UPDATE main.provider_imports SET state = 'rolled_back', finished_at = ? WHERE id = ?").run(Date.now(), importId);
      return true;
    }
    const list = JSON.stringify(ids);
    for (const table of ['provider_fts', 'provider_grams']) db.prepare(`DELETE FROM main.${table} WHERE rowid IN (SELECT value FROM json_each(?))`).run(list);
    for (const table of ['provider_categories', 'provider_areas']) db.prepare(`DELETE FROM main.${table} WHERE provider_id IN (SELECT value FROM json_each(?))`).run(list);
    db.prepare('DELETE FROM main.providers WHERE id IN (SELECT value FROM json_each(?))').run(list);
    db.prepare('DELETE FROM main.provider_hidden WHERE id IN (SELECT value FROM json_each(?))').run(list);
    return false;
  });
}

/**
 * Applies up to `rows` of a committed import's remaining changes in one transaction (oldest
 * provider first); marks the import done when none remain. Returns how many were applied.
 */
export function applyChanges(db: Db, importId: number, rows: number, now: number, stats: LockStats | null): number {
  return locked(db, stats, () => applyChangesIn(db, importId, rows, now));
}

export function applyChangesIn(db: Db, importId: number, rows: number, now: number): number {
  db.exec('CREATE TEMP TABLE IF NOT EXISTS provider_apply (id INTEGER PRIMARY KEY); DELETE FROM temp.provider_apply;');
  const n = db.prepare('INSERT INTO temp.provider_apply (id) SELECT provider_id FROM main.provider_import_changes WHERE import_id = @importId ORDER BY provider_id LIMIT @rows').run({ importId, rows }).changes;
  // the batch's ids drive every join (CROSS JOIN fixes the order): each statement reads the batch's rows only
  const changes = 'temp.provider_apply a CROSS JOIN main.provider_import_changes c ON c.import_id = @importId AND c.provider_id = a.id CROSS JOIN main.providers p ON p.id = c.provider_id';
  if (n) {
    db.prepare(`UPDATE main.providers SET name = c.name, reading = c.reading, org_type = c.org_type, whole_prefecture = c.whole_prefecture, address = c.address,
      description = c.description, services = c.services, phone = c.phone, url = c.url, email = c.email, source = c.source, status = c.status, updated_at = @now
      FROM (SELECT c.* FROM temp.provider_apply a CROSS JOIN main.provider_import_changes c ON c.import_id = @importId AND c.provider_id = a.id) AS c WHERE providers.id = c.provider_id`).run({ importId, now });
    for (const table of ['provider_fts', 'provider_grams']) db.exec(`DELETE FROM main.${table} WHERE rowid IN (SELECT id FROM temp.provider_apply)`);
    for (const table of ['provider_categories', 'provider_areas']) db.exec(`DELETE FROM main.${table} WHERE provider_id IN (SELECT id FROM temp.provider_apply)`);
    for (const sql of [
      `INSERT OR IGNORE INTO main.provider_categories (provider_id, category_id, subcategory_id)
        SELECT c.provider_id, j.value ->> 0, j.value ->> 1 FROM ${changes}, json_each(c.categories) j ORDER BY a.id, j.key`,
      `INSERT OR IGNORE INTO main.provider_areas (provider_id, municipality)
        SELECT c.provider_id, j.value FROM ${changes}, json_each(c.areas) j ORDER BY a.id, j.key`,
      `INSERT INTO main.provider_fts (rowid, name, reading, description, services)
        SELECT c.provider_id, c.fts_name, c.fts_reading, c.fts_description, c.fts_services FROM ${changes} WHERE c.status = 'approved'`,
      `INSERT INTO main.provider_grams (rowid, name, body)
        SELECT c.provider_id, c.grams_name, c.grams_body FROM ${changes} WHERE c.status = 'approved'`,
      'DELETE FROM main.provider_import_changes WHERE import_id = @importId AND provider_id IN (SELECT id FROM temp.provider_apply)',
    ]) db.prepare(sql).run({ importId });
  }
  // the last batch (or none at all) ends the import
  if (!db.prepare('SELECT 1 FROM main.provider_import_changes WHERE import_id = ? LIMIT 1').get(importId)) {
    db.prepare("UPDATE main.provider_imports SET state = 'done', finished_at = ? WHERE id = ? AND state = 'committed'").run(now, importId);
  }
  return n;
}

