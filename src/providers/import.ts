/**
 * Importing a provider CSV (the chat's upload and `npm run providers:import` alike): one pass over
 * the file inside one transaction. Each valid row is written as soon as it is read, so nothing but
 * the file's own bytes is held (keeping every parsed row first took 650 MB for 100,000 rows). If
 * any row is invalid, or it is a dry run, the transaction is rolled back: nothing is written, and
 * the counts still say how many entries would be new and how many updated.
 */
import { readProvidersCsv, type CsvContext, type CsvReading, type Encoding, type RowError } from './csv.js';
import type { ProviderStore } from './repository.js';

export interface ImportOutcome {
  /** Valid rows read (all rows, when there are no errors). */
  rows: number;
  created: number;
  updated: number;
  errors: RowError[];
  encoding: Encoding;
  /** Whether the rows are now in the directory. */
  written: boolean;
}

export interface ImportOptions {
  dryRun?: boolean;
  now?: number;
  onProgress?: (done: number) => void;
}

export function importProvidersCsv(store: ProviderStore, data: Buffer, ctx: CsvContext, options: ImportOptions = {}): ImportOutcome {
  let reading: CsvReading = { rows: 0, errors: [], encoding: 'utf-8' };
  const result = store.upsertEach(
    (write) => {
      reading = readProvidersCsv(data, ctx, (row, errorsSoFar) => {
        // after the first invalid row the import is lost anyway: only validate the rest
        if (!errorsSoFar) write(row.input);
      });
    },
    () => !options.dryRun && !reading.errors.length,
    options.now,
    options.onProgress,
  );
  const { rows, errors, encoding } = reading;
  return { rows, created: errors.length ? 0 : result.created, updated: errors.length ? 0 : result.updated, errors, encoding, written: result.kept };
}
