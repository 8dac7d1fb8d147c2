/** Retention (issue 17): what users typed is deleted after RETENTION_DAYS; newer rows and the prefecture's records stay. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/store/db.js';
import { pruneOld } from '../../src/store/retention.js';
import { tempDir } from '../helpers/app.js';

const DAY = 24 * 60 * 60 * 1000;

describe('retention', () => {
  it('defaults to 180 days and is configurable', () => {
    expect(loadConfig({ DATA_DIR: tempDir() }).retentionDays).toBe(180);
    expect(loadConfig({ DATA_DIR: tempDir(), RETENTION_DAYS: '30' }).retentionDays).toBe(30);
  });

  it('deletes question logs, feedback, hand-offs and abandoned flows older than the period, keeps the rest', () => {
    const db = openDatabase(join(tempDir('pf-ret-'), 'bot.sqlite'));
    const now = Date.now();
    const answer = db.prepare("INSERT INTO answers (created_at, platform, workspace, channel, user_id, question, intent, out_of_scope, probability, citations) VALUES (?, 'slack', 'T1', 'C1', 'U1', ?, 'question', 0, 0, '[]')");
    const oldId = Number(answer.run(now - 200 * DAY, '古い質問').lastInsertRowid);
    const newId = Number(answer.run(now - 10 * DAY, '新しい質問').lastInsertRowid);
    db.prepare('INSERT INTO feedback (answer_id, user_id, vote, created_at) VALUES (?, ?, 1, ?)').run(oldId, 'U1', now - 200 * DAY);
    db.prepare('INSERT INTO feedback (answer_id, user_id, vote, created_at) VALUES (?, ?, 1, ?)').run(newId, 'U1', now - 10 * DAY);
    const handoff = db.prepare("INSERT INTO handoffs (created_at, answer_id, platform, workspace, channel, user_id, question, context, status) VALUES (?, ?, 'slack', 'T1', 'C1', 'U1', ?, '', 'open')");
    handoff.run(now - 200 * DAY, oldId, '古い相談');
    handoff.run(now - 5 * DAY, oldId, '新しい相談');
    const flow = db.prepare("INSERT INTO flows (conv_key, platform, workspace, channel, user_id, flow_id, flow_version, state, updated_at, expires_at) VALUES (?, 'slack', 'T1', 'C1', ?, 'checklist', 1, '{}', ?, ?)");
    flow.run('old', 'U1', now - 300 * DAY, now - 299 * DAY);
    flow.run('new', 'U2', now - 1 * DAY, now + DAY);
    db.prepare("INSERT INTO roles (platform, user_id, role, municipality_id, granted_by, granted_at) VALUES ('slack', 'UA', 'admin', NULL, 'test', ?)").run(now - 400 * DAY);

    const pruned = pruneOld(db, 180, now);
    expect(pruned).toMatchObject({ answers: 1, feedback: 1, handoffs: 1, flows: 1 });
    expect(db.prepare('SELECT question FROM answers').all()).toEqual([{ question: '新しい質問' }]);
    expect(db.prepare('SELECT question, answer_id FROM handoffs').all()).toEqual([{ question: '新しい相談', answer_id: null }]);
    expect(db.prepare('SELECT answer_id FROM feedback').all()).toEqual([{ answer_id: newId }]);
    expect(db.prepare('SELECT conv_key FROM flows').all()).toEqual([{ conv_key: 'new' }]);
    // the prefecture's records are not user logs: kept
    expect(db.prepare('SELECT COUNT(*) AS n FROM roles').get()).toEqual({ n: 1 });
    db.close();
  });
});
