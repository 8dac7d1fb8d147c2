/**
 * `npm run discord:register [-- --global | --guild ID]`: registers the slash commands.
 * Guild-scoped (instant, for a pilot) when a guild id is given or DISCORD_GUILD_ID is set;
 * global (may take up to an hour to appear everywhere) with --global.
 */
import { REST, Routes } from 'discord.js';
import { commandDefinitions } from './commands.js';
import { ConfigError, loadConfig, type Config } from '../../src/config.js';
import { loadKnowledge } from '../../src/knowledge/load.js';

export async function registerCommands(config: Config, options: { global?: boolean; guildId?: string } = {}): Promise<{ route: string; count: number }> {
  const discord = config.discord;
  if (!discord) throw new ConfigError('DISCORD_TOKEN', 'コマンドの登録にはボットのトークンが必要です');
  if (!discord.applicationId) throw new ConfigError('DISCORD_APPLICATION_ID', 'コマンドの登録にはアプリケーション ID が必要です');
  const kb = loadKnowledge({ dir: config.knowledgeDir, localDirs: config.localKnowledgeDirs });
  const body = commandDefinitions(kb);
  const rest = new REST({ version: '10', ...(discord.apiUrl ? { api: discord.apiUrl } : {}) }).setToken(discord.token);
  const guildId = options.global ? undefined : (options.guildId ?? discord.guildId);
  const route = guildId ? Routes.applicationGuildCommands(discord.applicationId, guildId) : Routes.applicationCommands(discord.applicationId);
  await rest.put(route, { body });
  return { route, count: body.length };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const guildAt = args.indexOf('--guild');
  const result = await registerCommands(loadConfig(), { global: args.includes('--global'), ...(guildAt >= 0 && args[guildAt + 1] ? { guildId: args[guildAt + 1] } : {}) });
  console.log(`${result.count} 個のコマンドを登録しました（${result.route.includes('/guilds/') ? 'サーバー限定: すぐに使えます' : 'グローバル: 反映まで最大1時間かかることがあります'}）`);
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : `登録に失敗しました: ${(error as Error).message}`);
    process.exitCode = 1;
  });
}
