/**
 * `npm run discord:register`: registers Trilha's application commands (`/trilha` and `/trilha-canal`, built from the
 * command set by src/adapters/discord/commands.ts) with Discord, in one server when DISCORD_GUILD_ID is set (guild
 * commands update instantly: the way to try Trilha out) or globally otherwise. A bulk overwrite: running it again
 * replaces the commands with the current ones, and removes commands Trilha no longer has. Prints the invite link with
 * exactly the permissions a drop channel needs.
 *
 * Needs DISCORD_TOKEN and DISCORD_APPLICATION_ID; DISCORD_API_URL points it at a fake Discord (tests).
 */
import { REST, Routes } from 'discord.js';
import { applicationCommands } from '../adapters/discord/commands.ts';
import { inviteUrl } from '../adapters/discord/discord.adapter.ts';
import { commands } from '../commands/index.ts';
import { ConfigError, loadConfig } from '../config/env.ts';
import { formatProblem, loadTracks } from '../content/load-tracks.ts';
import { Curriculum } from '../core/curriculum.ts';

async function main(): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
  const discord = config.discord;
  if (!discord?.applicationId) {
    console.error('discord:register needs DISCORD_TOKEN and DISCORD_APPLICATION_ID (see .env.example).');
    return 1;
  }
  const { tracks, problems } = loadTracks(config.contentDir);
  if (problems.length > 0) {
    console.error(`Content has ${problems.length} problem(s); fix them first:`);
    for (const problem of problems) console.error(`  ${formatProblem(problem)}`);
    return 1;
  }
  const body = applicationCommands(commands, new Curriculum(tracks));
  const rest = new REST(discord.apiUrl ? { api: discord.apiUrl } : {}).setToken(discord.token);
  const route = discord.guildId
    ? Routes.applicationGuildCommands(discord.applicationId, discord.guildId)
    : Routes.applicationCommands(discord.applicationId);
  try {
    const saved = (await rest.put(route, { body })) as { name: string }[];
    const where = discord.guildId ? `server ${discord.guildId}` : 'every server (global)';
    console.log(`discord: registered ${saved.map((c) => `/${c.name}`).join(', ')} in ${where}`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`discord: registration failed: ${message.split('\n')[0]}`);
    return 1;
  }
  console.log(`Invite the bot with: ${inviteUrl(discord.applicationId)}`);
  return 0;
}

process.exitCode = await main();
