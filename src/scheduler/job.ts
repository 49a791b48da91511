/**
 * Work that runs on the drop scheduler's clock besides drops and quiz closes: the weekly season recaps, the members'
 * daily nudges. Each platform's `DropScheduler` runs every job at the end of each tick with its own notifier, so a
 * job posts only where that notifier reaches (`platform`). A job claims what it posts through the database, as drops
 * are claimed, so several replicas (or two platforms of one process) post each thing once.
 */
import type { Notifier } from '../core/message.ts';
import type { Platform } from '../core/ports/members.port.ts';
import type { Services } from '../runtime/command.ts';
import type { Logger } from '../runtime/logger.ts';

export interface JobContext {
  readonly now: Date;
  /** The platform this scheduler serves; absent when a test runs one platform per database. */
  readonly platform: Platform | undefined;
  /** The one workspace this scheduler's notifier reaches (a terminal session); all of `platform`'s when absent. */
  readonly workspaceId?: string | undefined;
  readonly notifier: Notifier;
  /** This process's name in claims. */
  readonly owner: string;
  readonly services: Services;
  readonly logger: Logger;
}

export interface ScheduledJob {
  /** For logs: `season-recaps`, `nudges`. */
  readonly name: string;
  /** Does what is due at `ctx.now`; returns how many things it posted. May throw: the scheduler logs and counts it. */
  run(ctx: JobContext): Promise<number>;
}
