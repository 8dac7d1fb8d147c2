/**
 * Schema migrations, numbered. Never edit a released migration: add the next one. Each runs in
 * a transaction with the version bump, so a crash leaves the database at the old or new version.
 */
import type Database from 'better-sqlite3';
import { bigrams, searchForm } from './grams.js';

export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'conversation core: flows, dedupe, answers, feedback, hand-offs',
    up(db) {
      db.exec(`
        CREATE TABLE flows (
          conv_key TEXT PRIMARY KEY,
          platform TEXT NOT NULL,
          workspace TEXT NOT NULL,
          channel TEXT NOT NULL,
          user_id TEXT NOT NULL,
          flow_id TEXT NOT NULL,
          flow_version INTEGER NOT NULL,
          state TEXT NOT NULL,
          history TEXT NOT NULL DEFAULT '[]',
          updated_at INTEGER NOT NULL,
          expires_at INTEGER NOT NULL
        );
        CREATE TABLE processed_events (
          event_key TEXT PRIMARY KEY,
          processed_at INTEGER NOT NULL
        );
        CREATE INDEX processed_events_time ON processed_events(processed_at);
        CREATE TABLE conversations (
          conv_key TEXT PRIMARY KEY,
          last_question TEXT NOT NULL,
          last_answer_id INTEGER,
          updated_at INTEGER NOT NULL
        );
        CREATE TABLE answers (
          id INTEGER PRIMARY KEY,
          created_at INTEGER NOT NULL,
          platform TEXT NOT NULL,
          workspace TEXT NOT NULL,
          channel TEXT NOT NULL,
          thread TEXT,
          user_id TEXT NOT NULL,
          question TEXT NOT NULL,
          intent TEXT NOT NULL,
          out_of_scope INTEGER NOT NULL,
          probability REAL NOT NULL,
          citations TEXT NOT NULL,
          used_llm INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX answers_time ON answers(created_at);
        CREATE TABLE feedback (
          answer_id INTEGER NOT NULL REFERENCES answers(id),
          user_id TEXT NOT NULL,
          vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
          created_at INTEGER NOT NULL,
          PRIMARY KEY (answer_id, user_id)
        );
        CREATE TABLE handoffs (
          id INTEGER PRIMARY KEY,
          created_at INTEGER NOT NULL,
          answer_id INTEGER REFERENCES answers(id),
          platform TEXT NOT NULL,
          workspace TEXT NOT NULL,
          channel TEXT NOT NULL,
          thread TEXT,
          user_id TEXT NOT NULL,
          question TEXT NOT NULL,
          context TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('open', 'answered')),
          reply TEXT,
          replied_by TEXT,
          replied_at INTEGER
        );
      `);
    },
  },
  {
    version: 2,
    name: 'roles, municipalities and checklist responses',
    up(db) {
      db.exec(`
        CREATE TABLE municipalities (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          reading TEXT,
          match_key TEXT NOT NULL,
          from_list INTEGER NOT NULL DEFAULT 1,
          created_at INTEGER NOT NULL
        );
        CREATE INDEX municipalities_key ON municipalities(match_key);
        CREATE TABLE roles (
          platform TEXT NOT NULL,
          user_id TEXT NOT NULL,
          role TEXT NOT NULL CHECK (role IN ('admin', 'member')),
          municipality_id TEXT REFERENCES municipalities(id),
          granted_by TEXT NOT NULL,
          granted_at INTEGER NOT NULL,
          PRIMARY KEY (platform, user_id),
          CHECK (role = 'admin' OR municipality_id IS NOT NULL)
        );
        CREATE TABLE checklist_responses (
          id INTEGER PRIMARY KEY,
          municipality_id TEXT NOT NULL REFERENCES municipalities(id),
          version INTEGER NOT NULL,
          answers TEXT NOT NULL,
          platform TEXT NOT NULL,
          submitted_by TEXT NOT NULL,
          submitted_at INTEGER NOT NULL,
          UNIQUE (municipality_id, version)
        );
      `);
    },
  },
  {
    version: 3,
    name: 'provider directory with full-text search',
    up(db) {
      db.exec(`
        CREATE TABLE providers (
          id INTEGER PRIMARY KEY,
          external_id TEXT UNIQUE,
          name TEXT NOT NULL,
          reading TEXT,
          org_type TEXT NOT NULL,
          whole_prefecture INTEGER NOT NULL DEFAULT 0,
          address TEXT,
          description TEXT NOT NULL DEFAULT '',
          services TEXT NOT NULL DEFAULT '',
          phone TEXT,
          url TEXT,
          email TEXT,
          source TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
          review_note TEXT,
          submitted_platform TEXT,
          submitted_by TEXT,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        );
        CREATE INDEX providers_status ON providers(status);
        CREATE TABLE provider_categories (
          provider_id INTEGER NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
          category_id TEXT NOT NULL,
          subcategory_id TEXT NOT NULL,
          PRIMARY KEY (provider_id, subcategory_id)
        );
        CREATE INDEX provider_categories_sub ON provider_categories(subcategory_id, provider_id);
        CREATE INDEX provider_categories_cat ON provider_categories(category_id, provider_id);
        CREATE TABLE provider_areas (
          provider_id INTEGER NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
          municipality TEXT NOT NULL,
          PRIMARY KEY (provider_id, municipality)
        );
        CREATE INDEX provider_areas_muni ON provider_areas(municipality, provider_id);
        -- trigram full text for words of three characters and more
        CREATE VIRTUAL TABLE provider_fts USING fts5(name, reading, description, services, tokenize = 'trigram');
        -- character bigrams (space-separated) for the one- and two-character words trigram cannot find
        CREATE VIRTUAL TABLE provider_grams USING fts5(grams, tokenize = 'unicode61');
      `);
    },
  },
  {
    version: 4,
    name: 'provider lookups that stay fast at 100,000 entries',
    up(db) {
      db.exec(`
        -- the few providers serving the whole prefecture join every area lookup: find them without a table scan
        CREATE INDEX providers_whole ON providers(whole_prefecture) WHERE whole_prefecture = 1;
        -- name bigrams apart from the rest, so that two-character keywords can rank name matches first
        DROP TABLE provider_grams;
        CREATE VIRTUAL TABLE provider_grams USING fts5(name, body, tokenize = 'unicode61');
        -- the keyword indexes now hold approved providers only (lookups show nothing else)
        DELETE FROM provider_fts WHERE rowid IN (SELECT id FROM providers WHERE status <> 'approved');
      `);
      const insert = db.prepare('INSERT INTO provider_grams (rowid, name, body) VALUES (?, ?, ?)');
      const batch = db.prepare("SELECT id, name, reading, description, services FROM providers WHERE id > ? AND status = 'approved' ORDER BY id LIMIT 1000");
      for (let last = 0; ; ) {
        const rows = batch.all(last) as { id: number; name: string; reading: string | null; description: string; services: string }[];
        if (!rows.length) break;
        for (const r of rows) insert.run(r.id, bigrams(`${r.name} ${r.reading ?? ''}`), bigrams(`${r.description} ${r.services}`));
        last = rows[rows.length - 1]!.id;
      }
    },
  },
  {
    version: 5,
    name: 'every provider has an external id; chat registrations name their platform in Japanese',
    up(db) {
      // without an id, an exported provider came back from its own file as a second entry (issue 16)
      db.exec(`
        UPDATE providers SET external_id = 'pf-' || id || CASE WHEN EXISTS (SELECT 1 FROM providers q WHERE q.external_id = 'pf-' || providers.id) THEN '-' || lower(hex(randomblob(3))) ELSE '' END
          WHERE external_id IS NULL;
        UPDATE providers SET source = replace(replace(replace(source, '（terminal）', '（端末）'), '（slack）', '（Slack）'), '（discord）', '（Discord）')
          WHERE source LIKE 'チャットからの掲載申込（%）';
      `);
    },
  },
  {
    version: 6,
    name: 'checklist definitions: the version every answer was given under',
    up(db) {
      db.exec(`
        -- every definition the bot has used, so that answers under an older one are shown with its questions
        CREATE TABLE checklist_definitions (
          version TEXT PRIMARY KEY,
          body TEXT NOT NULL,
          registered_at INTEGER NOT NULL
        );
        -- answers stored before definitions existed were given under the handbook's template, 図6
        ALTER TABLE checklist_responses ADD COLUMN definition_version TEXT NOT NULL DEFAULT '図6';
      `);
    },
  },
  {
    version: 7,
    name: 'provider keyword indexes fold kanji variants (髙橋 is found as 高橋)',
    up(db) {
      // both indexes are rewritten in the search form (src/store/grams.ts); the rows themselves are untouched
      db.exec('DELETE FROM provider_fts; DELETE FROM provider_grams;');
      const fts = db.prepare('INSERT INTO provider_fts (rowid, name, reading, description, services) VALUES (?, ?, ?, ?, ?)');
      const grams = db.prepare('INSERT INTO provider_grams (rowid, name, body) VALUES (?, ?, ?)');
      const batch = db.prepare("SELECT id, name, reading, description, services FROM providers WHERE id > ? AND status = 'approved' ORDER BY id LIMIT 1000");
      for (let last = 0; ; ) {
        const rows = batch.all(last) as { id: number; name: string; reading: string | null; description: string; services: string }[];
        if (!rows.length) break;
        for (const r of rows) {
          fts.run(r.id, searchForm(r.name), searchForm(r.reading ?? ''), searchForm(r.description), searchForm(r.services));
          grams.run(r.id, bigrams(`${r.name} ${r.reading ?? ''}`), bigrams(`${r.description} ${r.services}`));
        }
        last = rows[rows.length - 1]!.id;
      }
    },
  },
  {
    version: 8,
    name: 'municipality membership requests (membership is granted, not taken)',
    up(db) {
      db.exec(`
        CREATE TABLE membership_requests (
          id INTEGER PRIMARY KEY,
          platform TEXT NOT NULL,
          user_id TEXT NOT NULL,
          municipality_id TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
          requested_at INTEGER NOT NULL,
          decided_by TEXT,
          decided_at INTEGER
        );
        -- one open request per user: asking again replaces the municipality asked for
        CREATE UNIQUE INDEX membership_requests_open ON membership_requests(platform, user_id) WHERE status = 'pending';
      `);
    },
  },
  {
    version: 9,
    name: 'provider imports written in short transactions, with an undo record',
    up(db) {
      // a provider import writes its rows in batches of short transactions, so that the bot is never
      // locked out for long (issue 16); these tables keep it all-or-nothing (src/providers/merge.ts)
      db.exec(`
        -- one row per import that wrote anything: who writes it, how far it got
        CREATE TABLE provider_imports (
          id INTEGER PRIMARY KEY,
          state TEXT NOT NULL CHECK (state IN ('writing', 'committed', 'done', 'rolled_back')),
          owner TEXT NOT NULL,
          started_at INTEGER NOT NULL,
          heartbeat_at INTEGER NOT NULL,
          finished_at INTEGER,
          created INTEGER NOT NULL DEFAULT 0,
          updated INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX provider_imports_open ON provider_imports(state) WHERE state IN ('writing', 'committed');
        -- the undo record: providers an import has written but not committed; no lookup, count or export shows them
        CREATE TABLE provider_hidden (
          id INTEGER PRIMARY KEY,
          import_id INTEGER NOT NULL
        );
        -- changes to existing providers that a committed import still has to apply (a commit cut short is finished at the next start)
        CREATE TABLE provider_import_changes (
          import_id INTEGER NOT NULL,
          provider_id INTEGER NOT NULL,
          name TEXT NOT NULL, reading TEXT, org_type TEXT NOT NULL, whole_prefecture INTEGER NOT NULL, address TEXT, description TEXT NOT NULL,
          services TEXT NOT NULL, phone TEXT, url TEXT, email TEXT, source TEXT NOT NULL, status TEXT NOT NULL,
          categories TEXT NOT NULL,
          areas TEXT NOT NULL,
          fts_name TEXT, fts_reading TEXT, fts_description TEXT, fts_services TEXT, grams_name TEXT, grams_body TEXT,
          PRIMARY KEY (import_id, provider_id)
        );
      `);
    },
  },
];
