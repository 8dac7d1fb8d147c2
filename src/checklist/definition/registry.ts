/**
 * Every checklist definition the bot has used, by version, in SQLite: answers given under an older
 * version are summarised and exported with that version's questions, so a question added later is
 * shown as not asked rather than as a blank answer.
 */
import type { Db } from '../../store/db.js';
import { canonicalJson, ChecklistFileSchema, type ChecklistDefinition } from './schema.js';
import { CHECKLIST } from '../../messages/checklist.js';

/** The same declared version with different content: the prefecture must declare a new one. */
export class DefinitionVersionConflict extends Error {
  readonly code = 'CHECKLIST_VERSION_CONFLICT';
  constructor(readonly version: string) {
    super(CHECKLIST.defVersionReused(version));
  }
}

export class ChecklistDefinitions {
  private readonly cache = new Map<string, ChecklistDefinition>();

  constructor(
    private readonly db: Db,
    /** The definition in force. */
    readonly current: ChecklistDefinition,
  ) {}

  /**
   * Records a definition. `replace` is for the built-in template, whose text may be corrected with
   * the knowledge base; a prefecture's own file with a changed body under the same version is refused.
   */
  register(def: ChecklistDefinition, now: number, replace = false): void {
    const body = canonicalJson(def);
    const row = this.db.prepare('SELECT body FROM checklist_definitions WHERE version = ?').get(def.version) as { body: string } | undefined;
    if (row && row.body !== body && !replace) throw new DefinitionVersionConflict(def.version);
    this.db
      .prepare('INSERT INTO checklist_definitions (version, body, registered_at) VALUES (?, ?, ?) ON CONFLICT (version) DO UPDATE SET body = excluded.body')
      .run(def.version, body, now);
    this.cache.set(def.version, def);
  }

  /** The definition of a version, or null when unknown. */
  get(version: string): ChecklistDefinition | null {
    if (version === this.current.version) return this.current;
    const hit = this.cache.get(version);
    if (hit) return hit;
    const row = this.db.prepare('SELECT body FROM checklist_definitions WHERE version = ?').get(version) as { body: string } | undefined;
    if (!row) return null;
    const parsed = ChecklistFileSchema.safeParse(JSON.parse(row.body));
    if (!parsed.success) return null;
    const def = { ...parsed.data, version };
    this.cache.set(version, def);
    return def;
  }

  /** The definition of a version, or the current one when unknown (never throws for an old row). */
  of(version: string): ChecklistDefinition {
    return this.get(version) ?? this.current;
  }
}
