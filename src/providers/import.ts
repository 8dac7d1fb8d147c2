/**
 * Importing a provider CSV (the chat's upload and `npm run providers:import` alike), in phases:
 *
 * 1. read and validate the file row by row into a staging area (TEMP tables, see staging.ts): no
 *    lock on the main database is taken, and the event loop is given back every few hundred rows,
 *    so the bot keeps answering questions and logging them while a large file is checked;
 * 2. if every row is valid and it is not a dry run, write the rows into the directory in short
 *    transactions, invisible to every lookup until the commit, and commit (merge.ts): no
 *    transaction holds the write lock much longer than LOCK_TARGET_MS, whatever the file's size.
 *
 * All or nothing: any invalid row, or a dry run, writes nothing; the counts still say how many
 * entries would be new and how many updated. A failure or a cancel before the commit undoes what
 * was written; after it, the import goes forward to its end (see merge.ts).
 */
import type { Encoding } from '../csv/decode.js';
import { readProvidersCsv, type CsvContext, type RowError } from './csv.js';
import type { LockStats, WriteOptions } from './merge.js';
import type { ProviderStore } from './repository.js';
import { ImportBusyError } from './staging.js';
import { PROVIDERS } from '../messages/providers.js';

export interface ImportOutcome {
  /** Valid rows read (all rows, when there are no errors). */
  rows: number;
  created: number;
  updated: number;
  /** Rows equal to the stored provider (not written). */
  unchanged: number;
  errors: RowError[];
  encoding: Encoding;
  /** Whether the rows are now in the directory. */
  written: boolean;
  /** The write transactions: how many, the longest hold of the write lock and the total, in ms (zeros when nothing was written). */
  lock: LockStats;
}

export interface ImportOptions extends Partial<Pick<WriteOptions, 'batchRows' | 'fixedBatch' | 'pauseMs' | 'signal'>> {
  dryRun?: boolean;
  now?: number;
  /** Called every 5,000 valid rows read, once before the first write (0, 'write'), and after each written batch (rows of that phase so far). */
  onProgress?: (done: number, phase: 'read' | 'write' | 'apply') => void;
  /** Runs the import outside the caller's turn (the engine's: other events are handled meanwhile, between batches too). */
  outside?: <T>(io: () => Promise<T>) => Promise<T>;
}

const NO_LOCK: LockStats = { transactions: 0, longestMs: 0, totalMs: 0 };

/**
 * Checks the file and, when every row is valid, writes it. Throws ImportBusyError when another
 * import runs on the same database, ImportCancelledError when `signal` stopped it before its
 * commit, ImportConflictError when a new row's external id was taken meanwhile (merge.ts); in all
 * three nothing was changed.
 */
export async function importProvidersCsv(store: ProviderStore, data: Buffer, ctx: CsvContext, options: ImportOptions = {}): Promise<ImportOutcome> {
  const run = async (): Promise<ImportOutcome> => {
    // a running import would refuse this one at its first write: say so before the file is read
    if (!options.dryRun && store.importRunning()) throw new ImportBusyError();
    const staging = store.stage();
    try {
      const reading = await readProvidersCsv(data, ctx, (row, errorsSoFar) => {
        // after the first invalid row the import is lost anyway: only validate the rest
        if (!errorsSoFar) staging.add(row.line, row.input);
        if (options.onProgress && staging.count % 5000 === 0 && !errorsSoFar) options.onProgress(staging.count, 'read');
      });
      const { rows, errors, encoding } = reading;
      if (errors.length) return { rows, created: 0, updated: 0, unchanged: 0, errors, encoding, written: false, lock: NO_LOCK };
      // matching the rows to the stored providers reads only: no lock
      staging.prepare();
      const counts = staging.counts();
      if (options.dryRun) return { rows, ...counts, errors, encoding, written: false, lock: NO_LOCK };
      // said before the first write transaction: from here on the lock is taken now and then
      options.onProgress?.(0, 'write');
      const writer = store.importWriter({
        now: options.now ?? Date.now(),
        ...(options.batchRows ? { batchRows: options.batchRows } : {}),
        ...(options.fixedBatch ? { fixedBatch: true } : {}),
        ...(options.pauseMs !== undefined ? { pauseMs: options.pauseMs } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        onBatch: (phase, done) => options.onProgress?.(done, phase),
      });
      try {
        await writer.writeNew();
        await writer.writeChanges();
        await writer.commit();
      } catch (error) {
        // undoes the batches unless the commit went through (then the import only goes forward)
        await writer.rollback();
        throw error;
      }
      return { rows, ...counts, errors, encoding, written: true, lock: { ...writer.stats } };
    } finally {
      staging.dispose();
    }
  };
  return options.outside ? options.outside(run) : run();
}

/** 「新規 1 件、更新 2 件、変更なし 30 件」 (the last part only when some rows were as stored). */
export function countsText(o: Pick<ImportOutcome, 'created' | 'updated' | 'unchanged'>): string {
  return PROVIDERS.importCounts(o.created, o.updated, o.unchanged);
}
