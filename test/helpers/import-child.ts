/**
 * Child process for the import-recovery tests: imports a provider CSV into a database in small
 * fixed batches and kills itself (SIGKILL, no clean-up of any kind) at a chosen point:
 *
 *   node --import tsx test/helpers/import-child.ts DB CSV before-commit|after-commit
 *
 * before-commit: once 150 rows of the write phase are in (several batches committed, the import
 * not); after-commit: at the first batch of changes applied after the commit.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { importProvidersCsv } from '../../src/providers/import.js';
import { ProviderStore } from '../../src/providers/repository.js';
import { openDatabase } from '../../src/store/db.js';

const [dbPath, csvPath, mode] = process.argv.slice(2);
const kb = loadKnowledge({ dir: join(PROJECT_ROOT, 'knowledge') });
const store = new ProviderStore(openDatabase(dbPath!));
await importProvidersCsv(store, readFileSync(csvPath!), { taxonomy: kb.taxonomy, municipalities: [], suggest: () => [], defaultSource: 'test' }, {
  batchRows: 50,
  fixedBatch: true,
  pauseMs: 0,
  onProgress: (done, phase) => {
    if ((mode === 'before-commit' && phase === 'write' && done >= 150) || (mode === 'after-commit' && phase === 'apply')) process.kill(process.pid, 'SIGKILL');
  },
});
process.stdout.write('finished without being killed\n');
