import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { tempDir } from '../helpers/app.js';

describe('migration 5: every provider gets an external id', () => {
  it('gives pf-<id> to providers without one (avoiding an id already taken), and names the chat platform in Japanese', () => {
    const path = join(tempDir(), 'v4.sqlite');
    const old = openDatabase(path, { targetVersion: 4 });
    const insert = old.prepare("INSERT INTO providers (id, external_id, name, org_type, source, status, created_at, updated_at) VALUES (?, ?, ?, '企業', ?, 'approved', 0, 0)");
    insert.run(1, null, 'チャットの店', 'チャットからの掲載申込（terminal）');
    insert.run(2, 'pf-3', '先にpf-3を使った店', 'CSV取込（a.csv）');
    insert.run(3, null, 'IDのない店', 'チャットからの掲載申込（slack）');
    insert.run(4, 'own-4', '自前のIDの店', 'CSV取込（a.csv）');
    old.close();
    const db = openDatabase(path);
    const rows = db.prepare('SELECT id, external_id AS ext, source FROM providers ORDER BY id').all() as { id: number; ext: string; source: string }[];
    expect(rows[0]).toEqual({ id: 1, ext: 'pf-1', source: 'チャットからの掲載申込（端末）' });
    expect(rows[1]!.ext).toBe('pf-3');
    expect(rows[2]!.ext).toMatch(/^pf-3-[0-9a-f]{6}$/);
    expect(rows[2]!.source).toBe('チャットからの掲載申込（Slack）');
    expect(rows[3]).toEqual({ id: 4, ext: 'own-4', source: 'CSV取込（a.csv）' });
    db.close();
  });
});
