/**
 * The engine assembled: database (migrated), stores, curriculum, search, review scheduler and the dispatcher with
 * the whole command set. `main.ts` opens it for the chosen adapter; tests open it on their own databases.
 */
import { actions, commands } from './commands/index.ts';
import { Curriculum, type Track } from './core/curriculum.ts';
import { LessonSearch } from './core/lesson-search.ts';
import type { Locale } from './core/locale.ts';
import { ReviewScheduler } from './core/review-scheduler.ts';
import type { DatabaseTarget } from './db/database-url.ts';
import { migrateDatabase } from './db/migrations.ts';
import { type Db, openPrisma } from './db/prisma-client.ts';
import { createStores } from './db/stores.ts';
import { ServerChartRenderer } from './reports/charts.ts';
import type { Services } from './runtime/command.ts';
import { Dispatcher } from './runtime/dispatcher.ts';
import type { Logger } from './runtime/logger.ts';
import type { Telemetry } from './runtime/telemetry.ts';
import type { ScheduledJob } from './scheduler/job.ts';
import { NudgeJob } from './scheduler/nudges.ts';
import { SeasonRecapJob } from './scheduler/season-recaps.ts';

export interface AppOptions {
  readonly database: DatabaseTarget;
  readonly tracks: readonly Track[];
  readonly defaults: { readonly locale: Locale; readonly timeZone: string };
  readonly logger: Logger;
  /** Apply pending migrations first (default true). */
  readonly migrate?: boolean;
  /** Counters for operators (the composition root's metrics); none by default. */
  readonly telemetry?: Telemetry;
}

export interface App {
  readonly db: Db;
  readonly services: Services;
  readonly dispatcher: Dispatcher;
  readonly logger: Logger;
  /** What every drop scheduler runs after its drops (`scheduler/job.ts`): season recaps, nudges. */
  readonly jobs: readonly ScheduledJob[];
  /** Whether the database answers a trivial query (readiness). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export async function openApp(options: AppOptions): Promise<App> {
  if (options.migrate !== false) await migrateDatabase(options.database);
  const db = await openPrisma(options.database);
  const curriculum = new Curriculum(options.tracks);
  const stores = createStores(db, options.database.kind);
  const services: Services = {
    stores,
    curriculum,
    search: new LessonSearch(curriculum),
    reviews: new ReviewScheduler({ enable_short_term: false }),
    defaults: options.defaults,
    charts: new ServerChartRenderer(),
    ...(options.telemetry ? { telemetry: options.telemetry } : {}),
  };
  const dispatcher = new Dispatcher({ services, commands, actions, logger: options.logger });
  return {
    db,
    services,
    dispatcher,
    logger: options.logger,
    jobs: [new NudgeJob(), new SeasonRecapJob()],
    ping: async () => {
      await db.$queryRawUnsafe('SELECT 1');
      return true;
    },
    close: async () => {
      // Answers are written in batches: let the ones already taken reach the database first.
      await stores.learning.drained();
      await stores.social.boardsSettled();
      await db.$disconnect();
    },
  };
}
