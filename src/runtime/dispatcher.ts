/**
 * The one way in for every adapter: `command(request)` for what a member typed after the root command, and
 * `action(request)` for a clicked button. Both resolve who and where (workspace, member, channel) through the member
 * store, pick the member's language, run the command or action handler, and turn every failure into a reply the
 * member can read: a wrong argument answers with the command's help, a stale or tampered button with a clear line,
 * a database that stays busy with "try again", and an unexpected error with a generic message and a log line. The
 * dispatcher never throws to an adapter.
 *
 * Two protections run here, so every adapter has them (docs/security.md):
 * - A command rate limit per platform account (`commandsPerMinute` typed commands in any minute), checked before
 *   the database is touched and answered in the member's last known language with the seconds to wait. It is kept
 *   in this process's memory: it guards against load and floods, not a secret, so a replica counting on its own is
 *   enough (a member spread over two replicas gets at most twice the limit). The terminal is exempt: one person at
 *   the keyboard, and scripts run hundreds of lines a second.
 * - A deleted member's account: a click never makes a new member (`MemberDeletedError`, answered "your data was
 *   deleted"); a typed command does.
 */
import { type Action, decodeAction } from '../core/action-id.ts';
import { type Locale, matchLocale } from '../core/locale.ts';
import { privately, type Reply, safeText, text, truncate } from '../core/message.ts';
import type { WorkspaceRecord } from '../core/ports/members.port.ts';
import { MemberDeletedError, StoreUnavailableError } from '../core/ports/store-errors.ts';
import { type Translator, translator } from '../i18n/translator.ts';
import {
  type ActionRequest,
  type CommandContext,
  type CommandDefinition,
  type CommandRequest,
  type Request,
  type Services,
  UserError,
} from './command.ts';
import { commandHelp, findCommand, helpList } from './help.ts';
import type { Logger } from './logger.ts';
import { splitCommandLine } from './tokenize.ts';

/** What handles a clicked button of each kind (command buttons are run by the dispatcher itself). */
export type ActionHandlers = {
  readonly [K in Exclude<Action['kind'], 'command'>]?: (
    ctx: CommandContext,
    action: Extract<Action, { kind: K }>,
  ) => Promise<Reply[]>;
};

export interface DispatcherOptions {
  readonly services: Services;
  // biome-ignore lint/suspicious/noExplicitAny: a registry holds commands of every argument type
  readonly commands: readonly CommandDefinition<any>[];
  readonly actions: ActionHandlers;
  readonly logger: Logger;
  /** Typed commands one account may send in any minute (`defaultCommandsPerMinute`); 0 turns the limit off. */
  readonly commandsPerMinute?: number;
}

/** Nobody types 30 commands a minute; a script or a flood does. */
export const defaultCommandsPerMinute = 30;
/** Accounts whose recent commands are remembered, at most (the oldest are forgotten first). */
const maxTrackedAccounts = 50_000;

export class Dispatcher {
  // biome-ignore lint/suspicious/noExplicitAny: see DispatcherOptions
  readonly commands: readonly CommandDefinition<any>[];
  readonly #options: DispatcherOptions;
  readonly #workspaces = new Map<string, { record: Promise<WorkspaceRecord>; until: number }>();
  /** Per account: the instants (ms) of its commands in the last minute, and its language as last seen. */
  readonly #recent = new Map<string, { times: number[]; locale?: Locale }>();

  constructor(options: DispatcherOptions) {
    this.#options = options;
    this.commands = options.commands;
  }

  /** Runs what a member typed after the root command (`hoje`, `ranking semana`). */
  async command(request: CommandRequest): Promise<Reply[]> {
    const limited = this.#rateLimit(request);
    if (limited) return limited;
    return this.#guard(request, async (ctx) => this.#run(ctx, request.text), true);
  }

  /**
   * The command rate limit: null when the command may run (and then it is counted), else the friendly refusal. A
   * sliding minute of the real clock (the platforms' instants can be replayed; the terminal's is virtual).
   */
  #rateLimit(request: Request): Reply[] | null {
    const limit = this.#options.commandsPerMinute ?? defaultCommandsPerMinute;
    if (limit <= 0 || request.platform === 'terminal') return null;
    const key = accountOf(request);
    const now = Date.now();
    const entry = this.#recent.get(key) ?? { times: [] };
    entry.times = entry.times.filter((at) => at > now - 60_000);
    // Re-inserted on every use, so the map's first keys are the accounts seen longest ago.
    this.#recent.delete(key);
    this.#recent.set(key, entry);
    if (this.#recent.size > maxTrackedAccounts) {
      const oldest = this.#recent.keys().next().value;
      if (oldest !== undefined) this.#recent.delete(oldest);
    }
    if (entry.times.length < limit) {
      entry.times.push(now);
      return null;
    }
    this.#options.services.telemetry?.rateLimited?.(request.platform, 'command');
    const locale =
      entry.locale ??
      (request.user.localeHint ? matchLocale(request.user.localeHint) : this.#options.services.defaults.locale);
    const seconds = Math.max(1, Math.ceil(((entry.times[0] ?? now) + 60_000 - now) / 1000));
    return [privately({ blocks: [text(translator(locale).t('security.rate.commands', { max: limit, seconds }))] })];
  }

  /** Runs the action behind a clicked button. */
  async action(request: ActionRequest): Promise<Reply[]> {
    return this.#guard(request, async (ctx) => {
      const decoded = decodeAction(request.actionId);
      if (!decoded.ok) {
        this.#options.logger.warn({ actionId: request.actionId, reason: decoded.error }, 'rejected action id');
        return [privately({ blocks: [text(ctx.t(`common.action.${decoded.error}`))] })];
      }
      const { action } = decoded;
      if (action.kind === 'command') return this.#run(ctx, action.command);
      const handler = this.#options.actions[action.kind] as
        | ((ctx: CommandContext, action: Action) => Promise<Reply[]>)
        | undefined;
      if (!handler) return [privately({ blocks: [text(ctx.t('common.action.malformed'))] })];
      return handler(ctx, action);
    });
  }

  async #run(ctx: CommandContext, input: string): Promise<Reply[]> {
    // Quotes group words in every command (`turma criar "ops" "Time de Ops"`): tokenize.ts.
    const { name: first, words, rest: afterName } = splitCommandLine(input);
    if (!first) return [privately(helpList(this.commands, ctx.locale, ctx.t))];
    const command = findCommand(this.commands, first);
    if (!command) {
      return [
        privately({
          blocks: [
            text(ctx.t('common.unknown_command', { name: first.slice(0, 40) })),
            ...helpList(this.commands, ctx.locale, ctx.t).blocks,
          ],
        }),
      ];
    }
    if (command.adminOnly && !ctx.request.user.isAdmin) {
      return [privately({ blocks: [text(ctx.t('common.admin_only', { command: command.names[ctx.locale] }))] })];
    }
    const parsed = command.args.safeParse(command.parse(words, afterName));
    if (!parsed.success) {
      // zod's own messages are English; the member gets what they typed back, in their language, and the help.
      const help = commandHelp(command, ctx.locale, ctx.t);
      const typed = afterName ? safeText(truncate(afterName, 80)) : '';
      return [
        privately({
          headline: help.headline,
          blocks: [
            text(typed ? ctx.t('common.bad_arguments', { typed }) : ctx.t('common.missing_arguments')),
            ...help.blocks,
          ],
        }),
      ];
    }
    return command.handler(ctx, parsed.data);
  }

  async #guard(
    request: Request,
    body: (ctx: CommandContext) => Promise<Reply[]>,
    deliberate = false,
  ): Promise<Reply[]> {
    const { logger, services } = this.#options;
    const hint = request.user.localeHint;
    let t: Translator['t'] = translator(hint ? matchLocale(hint) : services.defaults.locale).t;
    try {
      const ctx = await this.#context(request, deliberate);
      t = ctx.t;
      return await body(ctx);
    } catch (error) {
      if (error instanceof UserError) return [privately({ blocks: [text(error.message)] })];
      if (error instanceof MemberDeletedError) {
        // The confirm button clicked again (a double click, a retried delivery) is the deletion already done.
        const decoded = 'actionId' in request ? decodeAction(String(request.actionId)) : null;
        const again = decoded?.ok === true && decoded.action.kind === 'delete-my-data';
        return [privately({ blocks: [text(t(again ? 'social.mydata.already_gone' : 'security.deleted.click'))] })];
      }
      if (error instanceof StoreUnavailableError) {
        logger.error({ err: error.cause, operation: error.operation }, 'database unavailable after retries');
        return [privately({ blocks: [text(t('common.database_unavailable'))] })];
      }
      logger.error({ err: error, platform: request.platform }, 'command failed');
      return [privately({ blocks: [text(t('common.unexpected_error'))] })];
    }
  }

  /**
   * The workspace record, kept for a minute: every request needs it and it changes rarely, so the hot path (a quiz
   * answer) does not pay a query for it. The lookup itself is shared: a burst of a thousand first clicks makes one
   * query, not a thousand. Adapters use it too (Discord's autocomplete lists the workspace's cohorts).
   */
  workspace(request: Request): Promise<WorkspaceRecord> {
    const { services } = this.#options;
    const key = `${request.platform}:${request.workspace.externalId}`;
    const cached = this.#workspaces.get(key);
    if (cached && cached.until > Date.now()) return cached.record;
    const record = services.stores.members.ensureWorkspace({
      platform: request.platform,
      externalId: request.workspace.externalId,
      name: request.workspace.name,
      defaultLocale: request.workspace.localeHint
        ? matchLocale(request.workspace.localeHint)
        : services.defaults.locale,
      timeZone: services.defaults.timeZone,
    });
    this.#workspaces.set(key, { record, until: Date.now() + 60_000 });
    // A failed lookup is not kept: the next request tries again.
    record.catch(() => {
      if (this.#workspaces.get(key)?.record === record) this.#workspaces.delete(key);
    });
    return record;
  }

  async #context(request: Request, deliberate: boolean): Promise<CommandContext> {
    const { services } = this.#options;
    const { members } = services.stores;
    const workspace = await this.workspace(request);
    const [member, channel] = await Promise.all([
      members.ensureMember(workspace, request.user.externalId, request.user.displayName, { deliberate }),
      request.channel ? members.findChannel(workspace.id, request.channel.externalId) : Promise.resolve(null),
    ]);
    // The member's own choice first, then the language their client uses (Slack's and Discord's locale), then the
    // workspace's default.
    const hint = request.user.localeHint;
    const locale: Locale = member.locale ?? (hint ? matchLocale(hint) : workspace.defaultLocale);
    const recent = this.#recent.get(accountOf(request));
    if (recent) recent.locale = locale;
    const { t } = translator(locale);
    const ctx: CommandContext = {
      request,
      now: request.now,
      locale,
      t,
      timeZone: member.timeZone ?? workspace.timeZone,
      workspace,
      member,
      channel,
      services,
      commands: this.commands,
      run: (commandText) => this.#run(ctx, commandText),
    };
    return ctx;
  }
}

/** The rate limit's key for the acting platform account. */
function accountOf(request: Request): string {
  return `${request.platform}\u0000${request.workspace.externalId}\u0000${request.user.externalId}`;
}
