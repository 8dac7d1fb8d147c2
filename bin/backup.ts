/**
 * `npm run backup [-- DEST]`: a consistent copy of the bot's database, taken with SQLite's online
 * backup while the bot keeps running (WAL mode lets it read while the bot writes).
 */
import { join } from 'node:path';
import { databasePath } from '../src/app.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { backupDatabase, openDatabase } from '../src/store/db.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const dest = process.argv[2] ?? join(config.dataDir, 'backups', `bot-${stamp}.sqlite`);
  // read-only: a backup never migrates nor writes the live database
  const db = openDatabase(databasePath(config), { readonly: true });
  try {
    await backupDatabase(db, dest);
  } finally {
    db.close();
  }
  console.log(`バックアップを作成しました: ${dest}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `バックアップに失敗しました: ${(error as Error).message}`);
  process.exitCode = 1;
});
