/**
 * First contact: the first drop in a big workspace brings a burst of accounts Trilha has never seen. Their member and
 * identity rows are created in batches (src/db/members.repo.ts), and the promise is the one every answer makes:
 * every click stored once and counted once, and exactly one member row per platform account, also when two
 * replicas meet the same new accounts at the same moment.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type App, openApp } from '../../src/app.ts';
import { discordClicks } from '../../src/cli/bench/discord-load.ts';
import { slackClicks } from '../../src/cli/bench/slack-load.ts';
import { loadTracks } from '../../src/content/load-tracks.ts';
import type { WorkspaceRecord } from '../../src/core/ports/members.port.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { availableKinds, createTestDatabase, type TestDatabase } from '../support/databases.ts';

const tracks = loadTracks('content').tracks;
const clicks = 1_000;
const racingAccounts = 300;

async function open(database: TestDatabase): Promise<App> {
  return openApp({
    database: database.target,
    tracks,
    defaults: { locale: 'pt-BR', timeZone: 'America/Sao_Paulo' },
    logger: silentLogger(),
  });
}

describe('first contact through the platforms (sqlite)', () => {
  let database: TestDatabase;
  let app: App;
  beforeEach(async () => {
    database = await createTestDatabase('sqlite');
    app = await open(database);
  });
  afterEach(async () => {
    await app.close();
    await database.drop();
  });

  it(`GIVEN ${clicks} Slack accounts never seen click the first question within 1 s THEN each answer is stored, counted and answered once, with one member row each`, async () => {
    const run = await slackClicks(app, clicks, 1_000, false);
    expect(run).toMatchObject({ stored: clicks, counted: clicks, feedback: clicks, memberRows: clicks });
    expect(await app.db.identity.count()).toBe(clicks);
  });

  it(`GIVEN ${clicks} Discord accounts never seen click the first question within 1 s THEN each answer is stored, counted and answered once, with one member row each`, async () => {
    const run = await discordClicks(app, clicks, 1_000, false);
    expect(run).toMatchObject({ stored: clicks, counted: clicks, unanswered: 0, memberRows: clicks });
    expect(await app.db.identity.count()).toBe(clicks);
  });
});

describe.each(availableKinds)('first contact on two replicas (%s)', (kind) => {
  let database: TestDatabase;
  let apps: App[];
  beforeEach(async () => {
    database = await createTestDatabase(kind);
    const first = await open(database);
    apps = [first, await open(database)];
  });
  afterEach(async () => {
    for (const app of apps) await app.close();
    await database.drop();
  });

  it(`GIVEN two replicas meeting the same ${racingAccounts} new accounts at once THEN one member row per account, the same one on both`, async () => {
    const workspaces: WorkspaceRecord[] = [];
    for (const app of apps) {
      workspaces.push(
        await app.services.stores.members.ensureWorkspace({
          platform: 'slack',
          externalId: 'T-RACE',
          name: 'Race',
          defaultLocale: 'pt-BR',
          timeZone: 'America/Sao_Paulo',
        }),
      );
    }
    const accounts = Array.from({ length: racingAccounts }, (_, i) => `U${i}`);
    const seen = await Promise.all(
      apps.map((app, replica) =>
        Promise.all(
          // The second replica meets them in the reverse order, so the batches interleave.
          (replica === 0 ? accounts : [...accounts].reverse()).map(async (account) => ({
            account,
            member: await app.services.stores.members.ensureMember(
              workspaces[replica] as WorkspaceRecord,
              account,
              `Name ${account}`,
            ),
          })),
        ),
      ),
    );
    const byAccount = new Map<string, Set<string>>();
    for (const { account, member } of seen.flat()) {
      byAccount.set(account, (byAccount.get(account) ?? new Set()).add(member.id));
    }
    expect([...byAccount.values()].every((ids) => ids.size === 1)).toBe(true);
    expect(await apps[0]?.db.member.count()).toBe(racingAccounts);
    expect(await apps[0]?.db.identity.count()).toBe(racingAccounts);
  });
});
