/**
 * Child process for the crash test: writes to the database in a loop (checklist versions, or
 * provider imports of whole batches) until it is killed. Prints "ready" after the first commit.
 */
import { openDatabase } from '../../src/store/db.js';
import { ChecklistStore } from '../../src/checklist/repository.js';
import { MunicipalityStore } from '../../src/store/municipalities.js';
import { ProviderStore } from '../../src/providers/repository.js';

const [path, mode] = process.argv.slice(2);
const db = openDatabase(path!);
export const BATCH = 500;
let n = 0;
if (mode === 'checklist') {
  new MunicipalityStore(db).syncList([{ name: '行田市', reading: null }]);
  const store = new ChecklistStore(db);
  for (;;) {
    store.submit('行田市', { q1: { q1a: 'no' }, q2: `課題 ${n} ${'あ'.repeat(500)}`, q3: { options: ['unknown-providers', 'other'], other: `その他 ${n}` }, q4: { options: ['training', 'event'] } }, 'slack', `U${n}`);
    if (n++ === 0) process.stdout.write('ready\n');
  }
} else {
  const store = new ProviderStore(db);
  for (;;) {
    const batch = Array.from({ length: BATCH }, (_, i) => ({
      externalId: `b${n}-${i}`, name: `事業者${n}-${i}`, orgType: '企業' as const, categories: [{ categoryId: 'shopping', subcategoryId: 'shopping-4' }, { categoryId: 'living', subcategoryId: 'living-1' }],
      wholePrefecture: false, areas: ['行田市', '羽生市'], description: '移動販売と見守り', services: '週2回の巡回', source: 'crash-test', status: 'approved' as const,
    }));
    store.upsertMany(batch);
    if (n++ === 0) process.stdout.write('ready\n');
  }
}
