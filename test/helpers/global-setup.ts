/**
 * Builds the search index once for the whole test run (the knowledge is the same for every test)
 * into a temporary folder; each test copies it into its own DATA_DIR.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { buildIndex } from '../../src/retrieval/index-store.js';

export default async function setup(): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'pf-test-index-'));
  const config = loadConfig({ DATA_DIR: dir }, dir);
  const kb = loadKnowledge({ dir: config.knowledgeDir, localDirs: config.localKnowledgeDirs });
  await buildIndex(kb, config);
  process.env.PF_TEST_INDEX_DIR = join(dir, 'index');
  return () => rmSync(dir, { recursive: true, force: true });
}
