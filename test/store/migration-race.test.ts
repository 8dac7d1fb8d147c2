/**
 * Migrations are safe to race (issue 17): six processes opening one fresh database at once all
 * succeed and agree on the version (BEGIN IMMEDIATE, the version read inside the transaction);
 * the backup CLI's read-only open never migrates.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { openDatabase, schemaVersion } from '../../src/store/db.js';
import { tempDir } from '../helpers/app.js';
import { spawnTs } from '../helpers/spawn.js';

function openInChild(path: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawnTs('test/helpers/open-db-child.ts', [path], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => (out += String(d)));
    child.stderr!.on('data', (d) => (err += String(d)));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

describe('migrations under concurrency', () => {
  it('six processes opening a fresh database at once all succeed at the latest version', async () => {
    const path = join(tempDir('pf-race-'), 'bot.sqlite');
    const results = await Promise.all(Array.from({ length: 6 }, () => openInChild(path)));
    for (const r of results) {
      expect(r.err).not.toMatch(/already exists/);
      expect(r.code).toBe(0);
      expect(r.out.trim()).toBe(String(MIGRATIONS.length));
    }
  }, 120_000);

  it('a read-only open (the backup CLI) leaves an old database at its version', () => {
    const path = join(tempDir('pf-ro-'), 'bot.sqlite');
    openDatabase(path, { targetVersion: 2 }).close();
    const ro = openDatabase(path, { readonly: true });
    expect(schemaVersion(ro)).toBe(2);
    expect(() => ro.exec('CREATE TABLE x (a)')).toThrow(/readonly/);
    ro.close();
  });
});
