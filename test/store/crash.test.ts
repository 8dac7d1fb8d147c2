import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { templateDefinition } from '../../src/checklist/definition/load.js';
import { validateAnswers } from '../../src/checklist/model.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { openDatabase } from '../../src/store/db.js';
import { tempDir } from '../helpers/app.js';
import { spawnTs } from '../helpers/spawn.js';

const kb = loadKnowledge({ dir: join(PROJECT_ROOT, 'knowledge') });

/** Runs the child writer and kills it with SIGKILL `delayMs` after its first commit. */
function runAndKill(path: string, mode: 'checklist' | 'import', delayMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawnTs('test/helpers/crash-child.ts', [path, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout!.on('data', (d: Buffer) => {
      if (String(d).includes('ready')) setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited without being killed (${signal})`))));
  });
}

describe('a process killed in the middle of a save leaves the old or the new state, never a torn one', () => {
  for (const delay of [5, 40, 120]) {
    it(`checklist submissions (killed ${delay} ms after the first commit)`, async () => {
      const path = join(tempDir(), 'crash.sqlite');
      await runAndKill(path, 'checklist', delay);
      const db = openDatabase(path);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const rows = db.prepare('SELECT version, answers FROM checklist_responses ORDER BY version').all() as { version: number; answers: string }[];
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.map((r) => r.version)).toEqual(rows.map((_, i) => i + 1));
      for (const r of rows) expect(validateAnswers(templateDefinition(kb.checklist), JSON.parse(r.answers)).problems).toEqual([]);
      db.close();
    });

    it(`provider imports (killed ${delay} ms after the first commit)`, async () => {
      const path = join(tempDir(), 'crash.sqlite');
      await runAndKill(path, 'import', delay);
      const db = openDatabase(path);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const count = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;
      const providers = count('SELECT COUNT(*) AS n FROM providers');
      expect(providers).toBeGreaterThan(0);
      expect(providers % 500).toBe(0);
      expect(count('SELECT COUNT(*) AS n FROM provider_fts')).toBe(providers);
      expect(count('SELECT COUNT(*) AS n FROM provider_grams')).toBe(providers);
      expect(count('SELECT COUNT(*) AS n FROM provider_categories')).toBe(providers * 2);
      expect(count('SELECT COUNT(*) AS n FROM provider_areas')).toBe(providers * 2);
      expect(count('SELECT COUNT(*) AS n FROM provider_categories c LEFT JOIN providers p ON p.id = c.provider_id WHERE p.id IS NULL')).toBe(0);
      db.close();
    });
  }
});
