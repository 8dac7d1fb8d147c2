/**
 * `npm run ingest`: validates knowledge/ and (re)builds the search index in DATA_DIR.
 * A broken record fails with the file, the record and the reason; the previous index stays.
 */
import { ConfigError, loadConfig } from '../src/config.js';
import { KnowledgeError } from '../src/knowledge/errors.js';
import { loadKnowledge } from '../src/knowledge/load.js';
import { createLogger } from '../src/logger.js';
import { buildIndex } from '../src/retrieval/index-store.js';

async function main(): Promise<void> {
  const started = Date.now();
  const config = loadConfig();
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const tty = process.stdout.isTTY;
  const say = (line: string): void => {
    const elapsed = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(tty ? `\r\x1b[2K[${elapsed}s] ${line}` : `[${elapsed}s] ${line}\n`);
  };
  say('知識ベースを検証中');
  const kb = loadKnowledge({ dir: config.knowledgeDir, localDirs: config.localKnowledgeDirs });
  if (tty) process.stdout.write('\n');
  console.log(`検証OK: 文書 ${kb.documents.length} 件（うち都道府県独自 ${kb.documents.filter((d) => d.local).length} 件）、パッセージ ${kb.passages.length} 件、Q&A ${kb.faq.length} 件、事例 ${kb.cases.length} 件`);
  const index = await buildIndex(kb, config, logger, say);
  if (tty) process.stdout.write('\n');
  const fit = index.scope.fit;
  console.log(`索引を作成しました: ${index.manifest.passages} パッセージ、埋め込み ${index.manifest.embedder}（${index.manifest.dims} 次元）`);
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  console.log(
    `範囲外判定（較正データ: 範囲内 ${fit.samples.inScope} 問・範囲外 ${fit.samples.outOfScope} 問、${fit.folds} 分割の交差検証）: ` +
      `範囲内を断る率 ${pct(fit.falseRefusalRate)}、範囲外を断る率（再現率） ${pct(fit.refusalRecall)}、断った中の範囲外の率（適合率） ${pct(fit.refusalPrecision)}、注記つきの回答 ${pct(fit.caveatRate)}`,
  );
  console.log(`完了（${((Date.now() - started) / 1000).toFixed(1)} 秒）: ${config.dataDir}`);
}

main().catch((error: unknown) => {
  if (error instanceof KnowledgeError) {
    console.error(`\n知識ベースにエラーがあります（前回の索引はそのまま使われます）\n  ファイル: ${error.file}\n  レコード: ${error.record}\n  理由: ${error.reason}`);
  } else if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error(`\n索引の作成に失敗しました: ${(error as Error).message}`);
  }
  process.exitCode = 1;
});
