/**
 * SQLite through better-sqlite3: one file in DATA_DIR, WAL journal (readers never block the
 * writer), a busy timeout, foreign keys, and numbered migrations applied in order inside a
 * transaction each. `user_version` records the schema version.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { STARTUP } from '../messages/startup.js';
import { MIGRATIONS } from './migrations.js';

export type Db = Database.Database;

/** Whether the database can be written, for /health. */
export interface DatabaseReport {
  /** `busy`: another process holds the write lock for now (not a failure). */
  state: 'ready' | 'busy' | 'down';
  detail?: string;
}

export const BUSY_TIMEOUT_MS = 5000;
const MMAP_BYTES = 256 * 1024 * 1024;
const CACHE_KIB = 32 * 1024;

export interface OpenOptions {
  /** Apply migrations up to this version only (tests of the upgrade path). */
  targetVersion?: number;
  readonly?: boolean;
}

export function openDatabase(path: string, options: OpenOptions = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { readonly: options.readonly ?? false });
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    // NORMAL is durable across application crashes in WAL mode (only an OS crash can lose the last commit)
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // lookups in a large provider directory read index pages scattered over the file: map it and keep
    // more of it cached than the 2 MB default (neither changes durability)
    db.pragma(`mmap_size = ${MMAP_BYTES}`);
    db.pragma(`cache_size = -${CACHE_KIB}`);
    migrate(db, options.targetVersion);
  }
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies the migrations above the current version, each in its own IMMEDIATE transaction with
 * the version read inside it: processes opening a fresh database at once queue on the write lock
 * (busy_timeout), and each applies only what the one before it has not.
 */
export function migrate(db: Db, target = MIGRATIONS.length): void {
  for (const m of MIGRATIONS) {
    if (m.version > target) break;
    db.transaction(() => {
      if (schemaVersion(db) >= m.version) return;
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
}

/** A consistent copy of the live database (SQLite's online backup API): safe while the bot runs. */
export async function backupDatabase(db: Db, destination: string): Promise<void> {
  mkdirSync(dirname(destination), { recursive: true });
  await db.backup(destination);
}

/**
 * Whether the bot can write (for /health): a real write in an IMMEDIATE transaction, rolled back,
 * with a short busy timeout so that a health check never waits long on another process's lock.
 */
export function databaseHealth(db: Db): DatabaseReport {
  if (!db.open) return { state: 'down', detail: STARTUP.dbClosed };
  // a transaction of this connection is open (synchronous code cannot be inside one here, but be safe): it is writing
  if (db.inTransaction) return { state: 'ready' };
  const busy = db.pragma('busy_timeout', { simple: true }) as number;
  try {
    db.pragma('busy_timeout = 200');
    db.exec('BEGIN IMMEDIATE');
    try {
      db.prepare('INSERT OR REPLACE INTO processed_events (event_key, processed_at) VALUES (?, ?)').run('health:probe', 0);
    } finally {
      db.exec('ROLLBACK');
    }
    return { state: 'ready' };
  } catch (error) {
    const code = (error as { code?: string }).code ?? (error as Error).message;
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return { state: 'busy', detail: STARTUP.dbBusy };
    return { state: 'down', detail: STARTUP.dbNotWritable(code) };
  } finally {
    if (db.open) db.pragma(`busy_timeout = ${busy}`);
  }
}
