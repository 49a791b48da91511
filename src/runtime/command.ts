/**
 * What a command is, and what it receives. Adapters build a `Request`; the dispatcher (`dispatcher.ts`) resolves who
 * and where into database records, picks the command by name or alias in either language, validates its arguments
 * with zod, and calls the handler with a `CommandContext`. Handlers return platform-neutral `Reply`s and never see a
 * platform object.
 */
import type { z } from 'zod';
import type { Curriculum } from '../core/curriculum.ts';
import type { LessonSearch } from '../core/lesson-search.ts';
import type { Locale, Localized } from '../core/locale.ts';
import type { Message, Reply } from '../core/message.ts';
import type { ChartRenderer } from '../core/ports/charts.port.ts';
import type { ChannelRecord, MemberRecord, Platform, WorkspaceRecord } from '../core/ports/members.port.ts';
import type { Stores } from '../core/ports/stores.ts';
import type { ReviewScheduler } from '../core/review-scheduler.ts';
import type { Translator } from '../i18n/translator.ts';
import type { Telemetry } from './telemetry.ts';

/** Who acts, where, and when: what every adapter knows about an incoming command or click. */
export interface Request {
  readonly platform: Platform;
  readonly workspace: {
    readonly externalId: string;
    readonly name: string;
    /** The workspace's language as the platform tells it (Discord `guild_locale`); used when it is first seen. */
    readonly localeHint?: string;
  };
  readonly user: {
    /** The platform's user id. */
    readonly externalId: string;
    readonly displayName: string;
    /** The platform says this member may change the workspace's settings (Slack admin, Discord Manage Server). */
    readonly isAdmin: boolean;
    /** The language the member's client uses, when the platform tells (Discord `locale`); a hint, not a choice. */
    readonly localeHint?: string;
  };
  /** The channel where it happened; null in a direct message. */
  readonly channel: { readonly externalId: string; readonly name: string } | null;
  /** The instant the platform received it (the runtime's clock in the terminal). */
  readonly now: Date;
}

export interface CommandRequest extends Request {
  /** What followed the root command: `ranking semana`, `ask como apagar uma imagem`. */
  readonly text: string;
}

export interface ActionRequest extends Request {
  /** The action id of the clicked button. */
  readonly actionId: string;
  /** What the member typed into the button's text input (`Button.input`: a command exercise); the raw text. */
  readonly typed?: string;
}

/** The typed answer of the request behind `ctx`, when its button asked for one. */
export function typedAnswer(request: Request): string | undefined {
  const typed = (request as Partial<ActionRequest>).typed;
  return typeof typed === 'string' ? typed : undefined;
}

/** What a handler may use: the stores, the curriculum and the pure engines, all injected. */
export interface Services {
  readonly stores: Stores;
  readonly curriculum: Curriculum;
  readonly search: LessonSearch;
  readonly reviews: ReviewScheduler;
  /** The workspace defaults for members who chose nothing (TRILHA_LOCALE, TRILHA_TIME_ZONE). */
  readonly defaults: { readonly locale: Locale; readonly timeZone: string };
  /** Counters for operators (metrics); absent in tests and the terminal chat. */
  readonly telemetry?: Telemetry;
  /** Charts as PNG files (the facilitator report, the weekly recap); rendered on the server (src/reports/). */
  readonly charts: ChartRenderer;
}

export interface CommandContext {
  readonly request: Request;
  readonly now: Date;
  /** The member's language: their own choice, else the workspace's default. */
  readonly locale: Locale;
  readonly t: Translator['t'];
  /** The member's time zone: their own choice, else the workspace's. */
  readonly timeZone: string;
  readonly workspace: WorkspaceRecord;
  readonly member: MemberRecord;
  /** The channel's row when the command came from a channel Trilha knows (a drop channel); null otherwise. */
  readonly channel: ChannelRecord | null;
  readonly services: Services;
  /** Every command, for help. */
  // biome-ignore lint/suspicious/noExplicitAny: a registry holds commands of every argument type
  readonly commands: readonly CommandDefinition<any>[];
  /** Runs another command as if the member typed it (for buttons like "next lesson"). */
  run(commandText: string): Promise<Reply[]>;
  /**
   * A direct message to another platform account (a security notice), through that platform's notifier when this
   * process runs it; false when it does not or the message failed. Never throws.
   */
  direct(platform: Platform, userRef: string, message: Message): Promise<boolean>;
}

export interface CommandDefinition<A = unknown> {
  /** Stable English id, used in action ids and logs: `today`, `leaderboard`. */
  readonly id: string;
  /** The name shown in help, per language: `hoje` / `today`. */
  readonly names: Localized;
  /** More names accepted in any language (`ranking`, `top`). Matching ignores case and accents. */
  readonly aliases: readonly string[];
  /** One line for the help list. */
  readonly summary: Localized;
  /** Arguments after the name, in the help's notation: `[semana|geral] [turma]`. Empty when there are none. */
  readonly usage: Localized;
  /** A few full examples (without the root command). */
  readonly examples: Localized<readonly string[]>;
  /** Only workspace admins may run it. */
  readonly adminOnly?: boolean;
  /**
   * Turns the words after the name into the shape `args` validates: map localized keywords to canonical values
   * (`keywords()`), keep free text as is. Must not throw: leave anything unknown for zod to reject.
   */
  readonly parse: (words: readonly string[], rest: string) => unknown;
  /** Validates what `parse` made; a failure answers with this command's help in the member's language. */
  readonly args: z.ZodType<A>;
  readonly handler: (ctx: CommandContext, args: A) => Promise<Reply[]>;
}

/** Type-checks a command module (`export default defineCommand({...})`). */
export function defineCommand<A>(definition: CommandDefinition<A>): CommandDefinition<A> {
  return definition;
}

/** Lower case, no accents, no surrounding spaces: how command names, aliases and keywords are compared. */
export function fold(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();
}

/**
 * A keyword map for `parse`: `keywords({ week: ['semana', 'week'], all: ['geral', 'all'] })` returns a function that
 * gives `'week'` for "Semana" and leaves any other word unchanged (so zod can name it in its error).
 */
export function keywords<K extends string>(table: Record<K, readonly string[]>): (word: string | undefined) => string {
  const lookup = new Map<string, string>();
  for (const [canonical, words] of Object.entries(table) as [K, readonly string[]][]) {
    lookup.set(fold(canonical), canonical);
    for (const word of words) lookup.set(fold(word), canonical);
  }
  return (word) => (word === undefined ? '' : (lookup.get(fold(word)) ?? word));
}

/** A failure the member can act on, with a message already in their language. Thrown by handlers, caught once. */
export class UserError extends Error {
  override readonly name = 'UserError';
}
