/**
 * Builds the search index once for the whole test run (the knowledge is the same for every test)
 * into a temporary folder; each test copies it into its own DATA_DIR.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { buildIndex } from '../../src/retrieval/index-store.js';

export default async function setup(): Promise<() => void> {
  // every test's temporary folders live under one root, removed when the run ends
  const root = mkdtempSync(join(tmpdir(), 'pf-test-run-'));
  process.env.PF_TEST_TMP = root;
  const dir = join(root, 'shared');
  mkdirSync(dir);
  const config = loadConfig({ DATA_DIR: dir }, dir);
  const kb = loadKnowledge({ dir: config.knowledgeDir, localDirs: config.localKnowledgeDirs });
  await buildIndex(kb, config);
  process.env.PF_TEST_INDEX_DIR = join(dir, 'index');
  return () => rmSync(root, { recursive: true, force: true });
}
