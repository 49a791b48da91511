/**
 * The one way in for every adapter: `command(request)` for what a member typed after the root command, and
 * `action(request)` for a clicked button. Both resolve who and where (workspace, member, channel) through the member
 * store, pick the member's language, run the command or action handler, and turn every failure into a reply the
 * member can read: a wrong argument answers with the command's help, a stale or tampered button with a clear line,
 * a database that stays busy with "try again", and an unexpected error with a generic message and a log line. The
 * dispatcher never throws to an adapter.
 */
import { type Action, decodeAction } from '../core/action-id.ts';
import { type Locale, matchLocale } from '../core/locale.ts';
import { privately, type Reply, safeText, text, truncate } from '../core/message.ts';
import type { WorkspaceRecord } from '../core/ports/members.port.ts';
import { StoreUnavailableError } from '../core/ports/store-errors.ts';
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
}

export class Dispatcher {
  // biome-ignore lint/suspicious/noExplicitAny: see DispatcherOptions
  readonly commands: readonly CommandDefinition<any>[];
  readonly #options: DispatcherOptions;
  readonly #workspaces = new Map<string, { record: Promise<WorkspaceRecord>; until: number }>();

  constructor(options: DispatcherOptions) {
    this.#options = options;
    this.commands = options.commands;
  }

  /** Runs what a member typed after the root command (`hoje`, `ranking semana`). */
  async command(request: CommandRequest): Promise<Reply[]> {
    return this.#guard(request, async (ctx) => this.#run(ctx, request.text));
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

  async #guard(request: Request, body: (ctx: CommandContext) => Promise<Reply[]>): Promise<Reply[]> {
    const { logger, services } = this.#options;
    let t: Translator['t'] = translator(services.defaults.locale).t;
    try {
      const ctx = await this.#context(request);
      t = ctx.t;
      return await body(ctx);
    } catch (error) {
      if (error instanceof UserError) return [privately({ blocks: [text(error.message)] })];
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

  async #context(request: Request): Promise<CommandContext> {
    const { services } = this.#options;
    const { members } = services.stores;
    const workspace = await this.workspace(request);
    const [member, channel] = await Promise.all([
      members.ensureMember(workspace, request.user.externalId, request.user.displayName),
      request.channel ? members.findChannel(workspace.id, request.channel.externalId) : Promise.resolve(null),
    ]);
    // The member's own choice first, then the language their client uses (Slack's and Discord's locale), then the
    // workspace's default.
    const hint = request.user.localeHint;
    const locale: Locale = member.locale ?? (hint ? matchLocale(hint) : workspace.defaultLocale);
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
