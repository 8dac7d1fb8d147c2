/**
 * `npm run providers:import -- FILE.csv [--dry-run]` and `npm run providers:export -- [FILE.csv]`:
 * the provider directory's CSV from the command line (same validation as the chat command:
 * nothing is written unless the whole file is valid). The import checks the file without locking
 * the database (a running bot keeps answering) and writes it in short transactions, invisible
 * until its commit (src/providers/merge.ts); Ctrl+C before the commit undoes what was written. The
 * export streams rows from SQLite to the file, so its memory does not grow with the directory.
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import { databasePath } from '../src/app.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { ENCODING_LABEL } from '../src/csv/decode.js';
import { errorLines } from '../src/csv/reader.js';
import { datedFileName } from '../src/csv/time.js';
import { loadKnowledge } from '../src/knowledge/load.js';
import { providersCsvChunks } from '../src/providers/csv.js';
import { countsText, importProvidersCsv } from '../src/providers/import.js';
import { ImportCancelledError, ImportConflictError } from '../src/providers/merge.js';
import { ImportBusyError } from '../src/providers/staging.js';
import { PROVIDERS } from '../src/messages/providers.js';
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
      const file = rest[0] ?? datedFileName('providers', Date.now(), config.timeZone);
      // one read transaction: the file is one consistent snapshot even while the bot registers providers
      const fd = openSync(file, 'w');
      let count = 0;
      try {
        providers.snapshot(() => {
          const counted = (function* () {
            for (const p of providers.iterate()) {
              count++;
              yield p;
            }
          })();
          for (const chunk of providersCsvChunks(counted, kb.taxonomy)) writeSync(fd, chunk);
        });
      } finally {
        closeSync(fd);
      }
      console.log(`${count} 件を書き出しました: ${file}`);
      return;
    }
    const file = rest.find((a) => !a.startsWith('--'));
    if (mode !== 'import' || !file) {
      console.error('使い方: npm run providers:import -- 取り込むファイル.csv [--dry-run]\n      npm run providers:export -- [書き出すファイル.csv]');
      process.exitCode = 2;
      return;
    }
    const started = Date.now();
    const dryRun = rest.includes('--dry-run');
    // Ctrl+C (or a stop from the system) before the commit undoes what was written; a second one ends at once
    const stop = new AbortController();
    const onSignal = (): void => {
      if (stop.signal.aborted) process.exit(130);
      process.stderr.write(`\n${PROVIDERS.importStopping}\n`);
      stop.abort();
    };
    process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
    let outcome;
    try {
      outcome = await importProvidersCsv(
      providers,
      readFileSync(file),
      {
        taxonomy: kb.taxonomy,
        municipalities: config.municipalitiesFile ? municipalities.all(true).map((m) => m.name) : [],
        suggest: (n) => municipalities.find(n).map((m) => m.name).slice(0, 3),
        defaultSource: `CSV取込（${basename(file)}）`,
      },
      { dryRun, signal: stop.signal, onProgress: (done, phase) => process.stderr.write(`\r${done} 行を${PROVIDERS.importPhase[phase]}…`) },
      );
    } catch (error) {
      if (error instanceof ImportBusyError || error instanceof ImportCancelledError || error instanceof ImportConflictError) {
        console.error(`\r${error.userMessage}`);
        process.exitCode = 1;
        return;
      }
      throw error;
    } finally {
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    }
    if (outcome.errors.length) {
      console.error(`\r取り込めませんでした（エラー ${outcome.errors.length} 件。何も書き込んでいません）:`);
      for (const line of errorLines(outcome.errors)) console.error(`  ${line}`);
      process.exitCode = 1;
      return;
    }
    const took = `${((Date.now() - started) / 1000).toFixed(1)} 秒`;
    const encoding = ENCODING_LABEL[outcome.encoding];
    if (dryRun) {
      console.log(`\r確認のみ（書き込んでいません）: ${outcome.rows} 行すべて問題ありません。${countsText(outcome)}になります（文字コード: ${encoding}、${took}）。`);
      return;
    }
    const { lock } = outcome;
    console.log(`\r${PROVIDERS.importedCli(countsText(outcome), encoding, took, lock.transactions, (lock.totalMs / 1000).toFixed(1), Math.round(lock.longestMs))}`);
  } finally {
    db.close();
  }
}

/** System errors a user can act on, in Japanese (the library's English is not shown). */
const SYSTEM_ERRORS: Record<string, string> = {
  ENOENT: 'ファイルが見つかりません',
  EACCES: 'ファイルを読み書きする権限がありません',
  EISDIR: 'ファイルではなくフォルダが指定されています',
  ENOSPC: 'ディスクの空きがありません',
  SQLITE_BUSY: 'データベースが使用中です。しばらくしてからもう一度実行してください',
};

main().catch((error: unknown) => {
  const code = (error as { code?: string }).code ?? '';
  console.error(error instanceof ConfigError ? error.message : `失敗しました: ${SYSTEM_ERRORS[code] ?? `予期しないエラーです（${code || (error as Error).name}）`}`);
  process.exitCode = 1;
});
