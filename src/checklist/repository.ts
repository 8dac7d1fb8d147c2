/**
 * Submitted checklist answers: every submission is a new version (第N版) and the latest counts.
 * Each row records the version of the checklist definition it was given under (設問の版).
 */
import { TEMPLATE_VERSION } from './definition/load.js';
import type { StoredAnswers } from './model.js';
import type { Db } from '../store/db.js';

export interface ChecklistSubmission {
  id: number;
  municipalityId: string;
  version: number;
  /** The version of the checklist definition the answers were given under. */
  definitionVersion: string;
  answers: StoredAnswers;
  platform: string;
  submittedBy: string;
  submittedAt: number;
}

interface Row {
  id: number;
  municipality_id: string;
  version: number;
  answers: string;
  definition_version: string;
  platform: string;
  submitted_by: string;
  submitted_at: number;
}

const toSubmission = (r: Row): ChecklistSubmission => ({
  id: r.id,
  municipalityId: r.municipality_id,
  version: r.version,
  definitionVersion: r.definition_version,
  answers: JSON.parse(r.answers) as StoredAnswers,
  platform: r.platform,
  submittedBy: r.submitted_by,
  submittedAt: r.submitted_at,
});

export class ChecklistStore {
  constructor(private readonly db: Db) {}

  /** Saves a new version atomically (the version number and the row in one transaction). */
  submit(municipalityId: string, answers: StoredAnswers, platform: string, by: string, now = Date.now(), definitionVersion = TEMPLATE_VERSION): ChecklistSubmission {
    return this.db.transaction(() => {
      const { next } = this.db.prepare('SELECT COALESCE(MAX(version), 0) + 1 AS next FROM checklist_responses WHERE municipality_id = ?').get(municipalityId) as { next: number };
      const info = this.db
        .prepare('INSERT INTO checklist_responses (municipality_id, version, answers, definition_version, platform, submitted_by, submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(municipalityId, next, JSON.stringify(answers), definitionVersion, platform, by, now);
      return toSubmission(this.db.prepare('SELECT * FROM checklist_responses WHERE id = ?').get(Number(info.lastInsertRowid)) as Row);
    })();
  }

  latest(municipalityId: string): ChecklistSubmission | null {
    const row = this.db.prepare('SELECT * FROM checklist_responses WHERE municipality_id = ? ORDER BY version DESC LIMIT 1').get(municipalityId) as Row | undefined;
    return row ? toSubmission(row) : null;
  }

  history(municipalityId: string): ChecklistSubmission[] {
    return (this.db.prepare('SELECT * FROM checklist_responses WHERE municipality_id = ? ORDER BY version DESC').all(municipalityId) as Row[]).map(toSubmission);
  }

  /** The latest submission of every municipality that answered. */
  allLatest(): ChecklistSubmission[] {
    return (
      this.db
        .prepare('SELECT r.* FROM checklist_responses r JOIN (SELECT municipality_id, MAX(version) AS v FROM checklist_responses GROUP BY municipality_id) m ON m.municipality_id = r.municipality_id AND m.v = r.version ORDER BY r.municipality_id')
        .all() as Row[]
    ).map(toSubmission);
  }
}
