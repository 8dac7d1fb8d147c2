/**
 * Importing a provider CSV (the chat's upload and `npm run providers:import` alike), in two phases:
 *
 * 1. read and validate the file row by row into a staging area (TEMP tables, see staging.ts): no
 *    lock on the main database is taken, and the event loop is given back every few hundred rows,
 *    so the bot keeps answering questions and logging them while a large file is checked;
 * 2. if every row is valid and it is not a dry run, merge the staged rows in one short transaction.
 *
 * All or nothing: any invalid row, or a dry run, writes nothing; the counts still say how many
 * entries would be new and how many updated.
 */
import type { Encoding } from '../csv/decode.js';
import { readProvidersCsv, type CsvContext, type RowError } from './csv.js';
import type { ProviderStore } from './repository.js';
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
  /** How long the main database's write lock was held, in ms (0 when nothing was written). */
  lockMs: number;
}

export interface ImportOptions {
  dryRun?: boolean;
  now?: number;
  /** Called every 5,000 valid rows read, and once before the merge. */
  onProgress?: (done: number, phase: 'read' | 'merge') => void;
  /** Runs the reading phase outside the caller's turn (the engine's: other events are handled meanwhile). */
  outside?: <T>(io: () => Promise<T>) => Promise<T>;
}

export async function importProvidersCsv(store: ProviderStore, data: Buffer, ctx: CsvContext, options: ImportOptions = {}): Promise<ImportOutcome> {
  const staging = store.stage();
  try {
    const read = async (): ReturnType<typeof readProvidersCsv> => {
      const reading = await readProvidersCsv(data, ctx, (row, errorsSoFar) => {
        // after the first invalid row the import is lost anyway: only validate the rest
        if (!errorsSoFar) staging.add(row.line, row.input);
        if (options.onProgress && staging.count % 5000 === 0 && !errorsSoFar) options.onProgress(staging.count, 'read');
      });
      // matching the rows to the stored providers reads only: done here, before the write lock
      if (!reading.errors.length) staging.prepare();
      return reading;
    };
    const reading = await (options.outside ? options.outside(read) : read());
    const { rows, errors, encoding } = reading;
    if (errors.length) return { rows, created: 0, updated: 0, unchanged: 0, errors, encoding, written: false, lockMs: 0 };
    if (options.dryRun) return { rows, ...staging.counts(), errors, encoding, written: false, lockMs: 0 };
    options.onProgress?.(rows, 'merge');
    const merged = staging.merge(options.now ?? Date.now());
    return { rows, created: merged.created, updated: merged.updated, unchanged: merged.unchanged, errors, encoding, written: true, lockMs: merged.lockMs };
  } finally {
    staging.dispose();
  }
}

/** 「新規 1 件、更新 2 件、変更なし 30 件」 (the last part only when some rows were as stored). */
export function countsText(o: Pick<ImportOutcome, 'created' | 'updated' | 'unchanged'>): string {
  return PROVIDERS.importCounts(o.created, o.updated, o.unchanged);
}
