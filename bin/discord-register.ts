/**
 * `npm run discord:register [-- --global | --guild ID]`: registers the slash commands (the Discord
 * adapter's registerCommands), described from the knowledge base's Q&A and the menu.
 */
import { registerCommands } from '../adapters/discord/register.js';
import { commandCatalog } from '../src/commands.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { loadKnowledge } from '../src/knowledge/load.js';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const guildAt = args.indexOf('--guild');
  const config = loadConfig();
  const kb = loadKnowledge({ dir: config.knowledgeDir, localDirs: config.localKnowledgeDirs });
  const result = await registerCommands(config, commandCatalog(kb), { global: args.includes('--global'), ...(guildAt >= 0 && args[guildAt + 1] ? { guildId: args[guildAt + 1] } : {}) });
  console.log(`${result.count} 個のコマンドを登録しました（${result.route.includes('/guilds/') ? 'サーバー限定: すぐに使えます' : 'グローバル: 反映まで最大1時間かかることがあります'}）`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `登録に失敗しました: ${(error as Error).message}`);
  process.exitCode = 1;
});
