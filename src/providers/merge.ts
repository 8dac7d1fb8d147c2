/**
 * Writing a checked provider import into the directory without locking the bot out (issue 16).
 *
 * One big transaction held SQLite's write lock for the whole merge (7–28 s for 100,000 new rows),
 * and every other writer (the answer log, flows, checklist submissions, other processes) waited or
 * failed. Instead the staged rows (staging.ts) are written in batches, each its own short
 * transaction sized to hold the lock about LOCK_TARGET_MS, with a pause between batches in which
 * other writers get the lock:
 *
 * 1. new providers are inserted as they will be (row, categories, areas, keyword indexes), each
 *    listed in `provider_hidden` with the import's id: that list is the undo record, and no lookup,
 *    count, coverage or export shows a provider on it (repository.ts, lookup.ts, coverage.ts);
 * 2. changes to existing providers are written to `provider_import_changes`, which nothing reads;
 * 3. the commit is one transaction: it empties `provider_hidden` (SQLite truncates a table deleted
 *    without a condition, whatever its size), so every new provider appears at once, and applies
 *    the first batch of changes. An import changing up to one batch of providers (the usual edit of
 *    an exported file) is thus wholly visible at one instant. A larger one applies the rest of its
 *    changes right after, a batch per transaction: for those seconds a lookup can show some of the
 *    changed providers in their new form and some still in the old. Each provider is always whole
 *    (its row, categories, areas and keywords change in one transaction), and the import is already
 *    committed: it can only go forward, and the next start of the bot or the CLI finishes it if the
 *    process ends half way.
 *
 * Before the commit, a failure or a cancel undoes the batches (rolled back from the undo record);
 * an import whose process died is undone by the next start (recoverImports). One import at a time
 * per database (`provider_imports`).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../store/db.js';
import { PROVIDERS } from '../messages/providers.js';
import { ImportBusyError } from './staging.js';
import { applyChanges, applyChangesIn, locked, openImports, OWNER, recoverImports, RUNNING, undoBatch, type LockStats } from './import-batches.js';

export { recoverImports, type LockStats };

/** How long one batch should hold the write lock. */
export const LOCK_TARGET_MS = 100;
/** The gap between two batches (checkpoint and pause), in which other connections take the lock (their busy handler polls every 1–100 ms). */
export const PAUSE_MS = 30;
/** The smallest batch (below it the fixed cost of a transaction dominates). */
const MIN_ROWS = 250;

/** Placeholder external id of a staged row without one, replaced by `pf-<id>` in the same batch (a control character: no CSV cell keeps one). */
const PENDING_ID = "char(1) || 'staged-' || s.line";

export interface WriteOptions {
  now: number;
  /** Rows in the first batch (later ones are sized to hold the lock about LOCK_TARGET_MS); fixed when `fixedBatch` is set. */
  batchRows?: number;
  fixedBatch?: boolean;
  pauseMs?: number;
  /** Stops the import before its commit (everything written is undone). */
  signal?: AbortSignal;
  /** After each batch: rows of this phase written so far. */
  onBatch?: (phase: 'write' | 'apply', done: number) => void;
}

/** The import was stopped before its commit; nothing it wrote remains. */
export class ImportCancelledError extends Error {
  readonly code = 'IMPORT_CANCELLED';
  readonly userMessage = PROVIDERS.importCancelled;
  constructor() {
    super('provider import cancelled');
    this.name = 'ImportCancelledError';
  }
}

/** A new row's external id was taken while the import was being written; the import was undone. */
export class ImportConflictError extends Error {
  readonly code = 'IMPORT_CONFLICT';
  readonly userMessage: string;
  constructor(line: number, externalId: string) {
    super(`external id ${externalId} (line ${line}) was registered during the import`);
    this.name = 'ImportConflictError';
    this.userMessage = PROVIDERS.importConflict(line, externalId);
  }
}

/**
 * Batch sizes that keep each transaction near LOCK_TARGET_MS, whatever the machine's load: the
 * time per row is a moving average (one batch slowed by another process does not halve the next),
 * and a batch has at least MIN_ROWS rows, since every transaction also pays a fixed cost (the
 * keyword indexes' new segment, the index pages it touches, the checkpoint after it).
 */
class Pace {
  private msPerRow: number | null = null;

  constructor(
    public rows: number,
    private readonly fixed: boolean,
  ) {}

  record(rows: number, ms: number): void {
    if (this.fixed || rows < 50 || ms <= 0) return;
    const observed = ms / rows;
    this.msPerRow = this.msPerRow === null ? observed : 0.7 * this.msPerRow + 0.3 * observed;
    const fit = Math.round(LOCK_TARGET_MS / this.msPerRow);
    this.rows = Math.min(Math.max(fit, MIN_ROWS), this.rows * 2, 20_000);
  }
}

/** One import's writes into the main database (staged rows on the same connection: staging.ts). */
export class ImportWriter {
  readonly stats: LockStats = { transactions: 0, longestMs: 0, totalMs: 0 };
  private readonly pace: Pace;
  private committed = false;

  /** The connection's automatic checkpoint threshold, restored when the import ends. */
  private readonly autoCheckpoint: number;

  private constructor(
    private readonly db: Db,
    readonly id: number,
    private readonly options: WriteOptions,
  ) {
    this.pace = new Pace(options.batchRows ?? 1000, options.fixedBatch ?? false);
    // SQLite copies the write-ahead log into the database file at the end of whichever commit finds
    // it over 1,000 pages: inside a batch's timing here, or inside a small write of the bot. During
    // the import this connection checkpoints after every batch instead, outside any transaction
    // (a checkpoint does not block writers), and the log stays short for everyone.
    this.autoCheckpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number;
    db.pragma('wal_autocheckpoint = 0');
  }

  /** Copies the log into the database file (between batches, outside any transaction). */
  private checkpoint(): void {
    this.db.pragma('wal_checkpoint(PASSIVE)');
  }

  /**
   * Between two batches: the checkpoint, then a pause, PAUSE_MS together. Other writers can take
   * the lock all along (a checkpoint does not hold it), and the event loop is given back.
   */
  private async gap(): Promise<void> {
    const t = performance.now();
    this.checkpoint();
    const pause = this.options.pauseMs ?? PAUSE_MS;
    await sleep(pause ? Math.max(5, pause - (performance.now() - t)) : 0);
  }

  /** Ends the import on this connection: the automatic checkpoint as it was. */
  private finish(): void {
    RUNNING.delete(this.id);
    this.db.pragma(`wal_autocheckpoint = ${this.autoCheckpoint}`);
    this.checkpoint();
  }

  /** Registers a new import, after finishing what ended processes left; ImportBusyError if another one runs. */
  static begin(db: Db, options: WriteOptions): ImportWriter {
    recoverImports(db, options.now);
    const id = locked(db, null, () => {
      if (openImports(db).length) return null;
      return Number(db.prepare("INSERT INTO main.provider_imports (state, owner, started_at, heartbeat_at) VALUES ('writing', ?, ?, ?)").run(OWNER, options.now, Date.now()).lastInsertRowid);
    });
    if (id === null) throw new ImportBusyError();
    RUNNING.add(id);
    return new ImportWriter(db, id, options);
  }

  /** Whether the import is still ours and writing (another process may have judged it abandoned and undone it). */
  private beat(): void {
    const ours = this.db.prepare("UPDATE main.provider_imports SET heartbeat_at = ? WHERE id = ? AND state = 'writing'").run(Date.now(), this.id).changes;
    if (!ours) throw new ImportCancelledError();
  }

  /** Runs batches of `write(from, to)` over sequence numbers 1…total, pausing between them. */
  private async batches(total: number, phase: 'write' | 'apply', write: (from: number, to: number) => void): Promise<void> {
    for (let from = 1; from <= total; ) {
      if (this.options.signal?.aborted) throw new ImportCancelledError();
      const to = Math.min(total, from + this.pace.rows - 1);
      const t = performance.now();
      locked(this.db, this.stats, () => {
        this.beat();
        write(from, to);
      });
      this.pace.record(to - from + 1, performance.now() - t);
      this.options.onBatch?.(phase, to);
      from = to + 1;
      await this.gap();
    }
  }

  /** Inserts the staged new rows as hidden providers (temp.provider_staging_new, in file order). */
  async writeNew(): Promise<void> {
    const db = this.db;
    const total = (db.prepare('SELECT COUNT(*) FROM temp.provider_staging_new').pluck().get() as number) ?? 0;
    const range = 'temp.provider_staging_new n JOIN temp.provider_staging s ON s.line = n.line WHERE n.seq BETWEEN @from AND @to';
    db.exec('CREATE TEMP TABLE IF NOT EXISTS provider_batch_ids (line INTEGER PRIMARY KEY, id INTEGER NOT NULL)');
    const conflict = db.prepare(`SELECT s.line, s.external_id AS externalId FROM ${range} AND EXISTS (SELECT 1 FROM main.providers p WHERE p.external_id = s.external_id) ORDER BY n.seq LIMIT 1`);
    const statements = [
      `INSERT INTO main.providers (external_id, name, reading, org_type, whole_prefecture, address, description, services, phone, url, email, source, status, created_at, updated_at)
        SELECT COALESCE(s.external_id, ${PENDING_ID}), s.name, s.reading, s.org_type, s.whole_prefecture, s.address, s.description, s.services, s.phone, s.url, s.email, s.source, s.status, @now, @now
        FROM ${range} ORDER BY n.seq`,
      'DELETE FROM temp.provider_batch_ids',
      `INSERT INTO temp.provider_batch_ids (line, id) SELECT s.line, p.id FROM ${range.replace(' WHERE', ` JOIN main.providers p ON p.external_id = COALESCE(s.external_id, ${PENDING_ID}) WHERE`)}`,
      'INSERT INTO main.provider_hidden (id, import_id) SELECT id, @importId FROM temp.provider_batch_ids',
      // rows without an external id get a stable one, so that their export imports back onto them
      `UPDATE main.providers SET external_id = 'pf-' || id || CASE WHEN EXISTS (SELECT 1 FROM main.providers q WHERE q.external_id = 'pf-' || providers.id) THEN '-' || lower(hex(randomblob(3))) ELSE '' END
        WHERE id IN (SELECT b.id FROM temp.provider_batch_ids b CROSS JOIN temp.provider_staging s ON s.line = b.line WHERE s.external_id IS NULL)`,
      `INSERT OR IGNORE INTO main.provider_categories (provider_id, category_id, subcategory_id)
        SELECT b.id, c.category_id, c.subcategory_id FROM temp.provider_batch_ids b CROSS JOIN temp.provider_staging_categories c ON c.line = b.line ORDER BY b.line, c.rowid`,
      `INSERT OR IGNORE INTO main.provider_areas (provider_id, municipality)
        SELECT b.id, a.municipality FROM temp.provider_batch_ids b CROSS JOIN temp.provider_staging_areas a ON a.line = b.line ORDER BY b.line, a.rowid`,
      `INSERT INTO main.provider_fts (rowid, name, reading, description, services)
        SELECT b.id, s.fts_name, s.fts_reading, s.fts_description, s.fts_services FROM temp.provider_batch_ids b CROSS JOIN temp.provider_staging s ON s.line = b.line WHERE s.status = 'approved'`,
      `INSERT INTO main.provider_grams (rowid, name, body)
        SELECT b.id, s.grams_name, s.grams_body FROM temp.provider_batch_ids b CROSS JOIN temp.provider_staging s ON s.line = b.line WHERE s.status = 'approved'`,
      'UPDATE main.provider_imports SET created = created + (SELECT COUNT(*) FROM temp.provider_batch_ids) WHERE id = @importId',
    ].map((sql) => db.prepare(sql));
    await this.batches(total, 'write', (from, to) => {
      const clash = conflict.get({ from, to }) as { line: number; externalId: string } | undefined;
      if (clash) throw new ImportConflictError(clash.line, clash.externalId);
      const all: Record<string, unknown> = { from, to, now: this.options.now, importId: this.id };
      for (const st of statements) st.run(pick(st.source, all));
    });
  }

  /** Writes the changes to existing providers (temp.provider_staging_changed) where the commit applies them from. */
  async writeChanges(): Promise<void> {
    const db = this.db;
    const total = (db.prepare('SELECT COUNT(*) FROM temp.provider_staging_changed').pluck().get() as number) ?? 0;
    const insert = db.prepare(`INSERT INTO main.provider_import_changes
      SELECT @importId, c.id, s.name, s.reading, s.org_type, s.whole_prefecture, s.address, s.description, s.services, s.phone, s.url, s.email, s.source, s.status,
        (SELECT json_group_array(json_array(k.category_id, k.subcategory_id) ORDER BY k.rowid) FROM temp.provider_staging_categories k WHERE k.line = s.line),
        (SELECT json_group_array(a.municipality ORDER BY a.rowid) FROM temp.provider_staging_areas a WHERE a.line = s.line),
        s.fts_name, s.fts_reading, s.fts_description, s.fts_services, s.grams_name, s.grams_body
      FROM temp.provider_staging_changed c JOIN temp.provider_staging s ON s.line = c.line WHERE c.seq BETWEEN @from AND @to`);
    await this.batches(total, 'write', (from, to) => {
      insert.run({ importId: this.id, from, to });
    });
  }

  /**
   * Commits: every new provider appears at once (provider_hidden emptied) and the first batch of
   * changes is applied in the same transaction; the rest, if any, right after (see the header).
   */
  async commit(): Promise<{ updated: number }> {
    const db = this.db;
    if (this.options.signal?.aborted) throw new ImportCancelledError();
    const changes = db.prepare('SELECT COUNT(*) FROM main.provider_import_changes WHERE import_id = ?').pluck();
    const total = changes.get(this.id) as number;
    try {
      let applied = locked(db, this.stats, () => {
        this.beat();
        // only this import's rows are hidden (one import at a time; an ended one is undone before another begins): truncate
        const others = db.prepare('SELECT 1 FROM main.provider_hidden WHERE import_id <> ? LIMIT 1').get(this.id);
        if (others) db.prepare('DELETE FROM main.provider_hidden WHERE import_id = ?').run(this.id);
        else db.exec('DELETE FROM main.provider_hidden');
        db.prepare("UPDATE main.provider_imports SET state = 'committed', updated = ? WHERE id = ?").run(total, this.id);
        return applyChangesIn(db, this.id, this.pace.rows, this.options.now);
      });
      this.committed = true;
      // committed: from here on the import only goes forward (a cancel no longer applies)
      while (applied < total) {
        await this.gap();
        const t = performance.now();
        const n = applyChanges(db, this.id, this.pace.rows, this.options.now, this.stats);
        this.pace.record(n, performance.now() - t);
        if (!n) break;
        applied += n;
        this.options.onBatch?.('apply', applied);
      }
      return { updated: total };
    } finally {
      // if applying the rest failed, the next import or start finishes it (recoverImports)
      if (this.committed) this.finish();
    }
  }

  /** Undoes everything written so far (before the commit), batch by batch with the same gaps as the writing; safe to call after a failure. */
  async rollback(): Promise<void> {
    try {
      if (!this.committed) while (!undoBatch(this.db, this.id, this.stats, this.pace.rows)) await this.gap();
    } finally {
      this.finish();
    }
  }
}

/** The named parameters a statement uses, out of `all` (better-sqlite3 refuses unused ones). */
function pick(sql: string, all: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(all).filter(([k]) => sql.includes(`@${k}`)));
}
