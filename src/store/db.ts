/**
 * SQLite through better-sqlite3: one file in DATA_DIR, WAL journal (readers never block the
 * writer), a busy timeout, foreign keys, and numbered migrations applied in order inside a
 * transaction each. `user_version` records the schema version.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS } from './migrations.js';

export type Db = Database.Database;

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
