/**
 * `npm run providers:import -- FILE.csv [--dry-run]` and `npm run providers:export -- [FILE.csv]`:
 * the provider directory's CSV from the command line (same validation as the chat command:
 * nothing is written unless the whole file is valid).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { databasePath } from '../src/app.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { loadKnowledge } from '../src/knowledge/load.js';
import { exportProvidersCsv } from '../src/providers/csv.js';
import { importProvidersCsv } from '../src/providers/import.js';
import { createRepositories } from '../src/services.js';
import { openDatabase } from '../src/store/db.js';

async function main(): Promise<void> {
  const [mode, ...rest] = process.argv.slice(2);
  const config = loadConfig();
  const kb = loadKnowledge({ dir: config.knowledgeDir, localDirs: config.localKnowledgeDirs });
  const db = openDatabase(databasePath(config));
  try {
    const { providers, municipalities } = createRepositories(config, kb, db);
    if (mode === 'export') {
      const file = rest[0] ?? `providers-${new Date().toISOString().slice(0, 10)}.csv`;
      const all = providers.all();
      writeFileSync(file, exportProvidersCsv(all, kb.taxonomy));
      console.log(`${all.length} 件を書き出しました: ${file}`);
      return;
    }
    const file = rest.find((a) => !a.startsWith('--'));
    if (!file) {
      console.error('使い方: npm run providers:import -- 取り込むファイル.csv [--dry-run]');
      process.exitCode = 2;
      return;
    }
    const started = Date.now();
    const dryRun = rest.includes('--dry-run');
    const outcome = importProvidersCsv(
      providers,
      readFileSync(file),
      {
        taxonomy: kb.taxonomy,
        municipalities: config.municipalitiesFile ? municipalities.all(true).map((m) => m.name) : [],
        suggest: (n) => municipalities.find(n).map((m) => m.name).slice(0, 3),
        defaultSource: `CSV取込（${basename(file)}）`,
      },
      { dryRun, onProgress: (done) => process.stderr.write(`\r${done} 行…`) },
    );
    if (outcome.errors.length) {
      console.error(`\r取り込めませんでした（エラー ${outcome.errors.length} 件。何も書き込んでいません）:`);
      for (const e of outcome.errors) console.error(`  ${e.line}行目: ${e.message}`);
      process.exitCode = 1;
      return;
    }
    const took = `${((Date.now() - started) / 1000).toFixed(1)} 秒`;
    if (dryRun) {
      console.log(`\r確認のみ（書き込んでいません）: ${outcome.rows} 行すべて問題ありません。新規 ${outcome.created} 件、更新 ${outcome.updated} 件になります（文字コード: ${outcome.encoding}、${took}）。`);
      return;
    }
    console.log(`\r取り込みました: 新規 ${outcome.created} 件、更新 ${outcome.updated} 件（文字コード: ${outcome.encoding}、${took}）`);
  } finally {
    db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `失敗しました: ${(error as Error).message}`);
  process.exitCode = 1;
});
