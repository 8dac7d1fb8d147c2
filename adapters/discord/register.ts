/**
 * Registers the slash commands with Discord (https://discord.com/developers/docs/interactions/application-commands#registering-a-command):
 * guild-scoped (instant, for a pilot) when a guild id is given or DISCORD_GUILD_ID is set; global
 * (may take up to an hour to appear everywhere) with `global`. `npm run discord:register` runs it
 * (bin/discord-register.ts).
 */
import { REST, Routes } from 'discord.js';
import { ConfigError, type CommandCatalog, type Config } from '../../src/core.js';
import { commandDefinitions } from './commands.js';

export async function registerCommands(config: Pick<Config, 'discord'>, catalog: CommandCatalog, options: { global?: boolean; guildId?: string } = {}): Promise<{ route: string; count: number }> {
  const discord = config.discord;
  if (!discord) throw new ConfigError('DISCORD_TOKEN', 'コマンドの登録にはボットのトークンが必要です');
  if (!discord.applicationId) throw new ConfigError('DISCORD_APPLICATION_ID', 'コマンドの登録にはアプリケーション ID が必要です');
  const body = commandDefinitions(catalog);
  const rest = new REST({ version: '10', ...(discord.apiUrl ? { api: discord.apiUrl } : {}) }).setToken(discord.token);
  const guildId = options.global ? undefined : (options.guildId ?? discord.guildId);
  const route = guildId ? Routes.applicationGuildCommands(discord.applicationId, guildId) : Routes.applicationCommands(discord.applicationId);
  await rest.put(route, { body });
  return { route, count: body.length };
}
