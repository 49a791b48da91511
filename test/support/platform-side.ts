/**
 * One platform's side of a test that acts on several platforms on one database (a Slack workspace and a Discord
 * server, each with a Docker-track channel and its own cohort): for the linking and board tests.
 */
import type { App } from '../../src/app.ts';
import type { Where } from './engine.ts';

export interface PlatformSide {
  readonly workspaceId: string;
  readonly cohortId: string;
}

/** Creates `where`'s workspace, a cohort `slug` in São Paulo time and the channel `where.channel` of the Docker track. */
export async function createSide(
  app: App,
  where: Where,
  slug: string,
  startDate = '2026-11-30',
): Promise<PlatformSide> {
  const { db, services } = app;
  const timeZone = 'America/Sao_Paulo';
  const workspace = await services.stores.members.ensureWorkspace({
    platform: where.platform ?? 'terminal',
    externalId: where.workspace as string,
    name: where.workspace as string,
    defaultLocale: 'pt-BR',
    timeZone,
  });
  const cohort = await db.cohort.create({ data: { workspaceId: workspace.id, slug, name: slug, timeZone } });
  await db.channel.create({
    data: {
      workspaceId: workspace.id,
      externalId: where.channel as string,
      name: slug,
      trackId: 'docker',
      cohortId: cohort.id,
      startDate,
    },
  });
  return { workspaceId: workspace.id, cohortId: cohort.id };
}
