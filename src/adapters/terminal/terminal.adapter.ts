/**
 * The terminal chat: one simulated workspace with one drop channel (#geral), driven line by line from injected
 * streams. Interactively it is a readline prompt; from a script file or piped stdin it echoes each line after a prompt
 * marker and runs the lines strictly in order, which is how end-to-end tests drive the whole engine.
 *
 * The workspace is `local` (“Terminal”) unless `workspace` names another (`npm start -- --workspace equipe-b`). Two
 * sessions on one database with different workspaces are two teams, as a Slack workspace and a Discord server are:
 * each has its own #geral, cohort and members, its scheduler posts only its own channel, and a member of both can
 * join their two accounts with `vincular` (linking refuses a code used in the workspace that issued it).
 *
 * Time is a virtual clock: it starts at the real now (or `now`), moves only with `/tick`, and the drop scheduler ticks
 * at the clock before every line and along the way when it moves, so a week of drops, quizzes and closes can be played
 * in a few seconds. Posts from the scheduler arrive through this adapter's Notifier and are printed with the channel
 * (and the thread) they belong to.
 *
 * The adapter only translates (STYLE: adapters translate): lines become dispatcher requests, replies become text. It
 * never touches process.stdin/stdout and never exits the process: the caller owns the streams.
 */
import { createHash, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { App } from '../../app.ts';
import { decodeAction } from '../../core/action-id.ts';
import { localDateOf } from '../../core/calendar.ts';
import { nextDrop } from '../../core/drop-schedule.ts';
import type { Locale } from '../../core/locale.ts';
import { neutralizeName } from '../../core/member-text.ts';
import type { Block, Message, Notifier, PostRef, PostTarget, Reply } from '../../core/message.ts';
import type { ChannelRecord, WorkspaceRecord } from '../../core/ports/members.port.ts';
import { MemberDeletedError } from '../../core/ports/store-errors.ts';
import { translator } from '../../i18n/translator.ts';
import { fold, type Request } from '../../runtime/command.ts';
import type { Logger } from '../../runtime/logger.ts';
import { DropScheduler } from '../../scheduler/drop-scheduler.ts';
import { TerminalRenderer, terminalSafe } from './render.ts';

/** What the terminal needs from a scheduler: a tick at an instant (DropScheduler in production). */
export interface TerminalScheduler {
  tick(now: Date): Promise<unknown>;
}

export interface TerminalOptions {
  readonly app: App;
  readonly input: Readable;
  readonly output: Writable;
  /** A readline prompt for a person (true), or script mode: echo each line and run them in order (false). */
  readonly interactive: boolean;
  /** Where the virtual clock starts; the real now by default. */
  readonly now?: Date;
  /** ANSI styles (a colour terminal); plain text by default. */
  readonly color?: boolean;
  /** The app's logger by default. */
  readonly logger?: Logger;
  /** Builds the scheduler that posts through the terminal's notifier; the real DropScheduler by default. */
  readonly scheduler?: (notifier: Notifier) => TerminalScheduler;
  /** Called whenever the session waits for the next line (after start-up and after each line): for test drivers. */
  readonly onIdle?: () => void;
  /**
   * Where files sent with a message (a CSV, a chart) are written, and their path shown: the terminal's file API.
   * `trilha-files` in the system's temporary folder by default; `npm start` uses `data/files`. A file for one member
   * (a private reply, a direct message) goes in that member's own folder (`member-<hash>`), removed with the
   * member's data (`meus-dados apagar`); files are written owner-only (0600, folders 0700).
   */
  readonly filesDir?: string;
  /**
   * The simulated workspace (`terminalWorkspace` by default). Its external id also prefixes the members' ids
   * (`local-owner`, `local:ana`), so the accounts of two terminal workspaces never share an id.
   */
  readonly workspace?: { readonly externalId: string; readonly name: string };
  /** The first member's name (the workspace's admin): `defaultOwnerName` unless given (`npm start` passes `ownerNameFor`). */
  readonly ownerName?: string;
}

/**
 * The first member's name when none is given: a real first name, the same in both languages, and one no command reads
 * as a keyword (`progresso Alex` is Alex's progress). It used to be "você"/"you", which made "Você é você (admin)" and
 * `progresso você` typed by someone else show the admin.
 */
export const defaultOwnerName = 'Alex';

/** System accounts that are not a person's name. */
const systemLogins = new Set([
  'root',
  'admin',
  'administrator',
  'user',
  'node',
  'runner',
  'ubuntu',
  'vscode',
  'codespace',
]);

/**
 * The admin's name from the computer's login (`maria` → `Maria`, `joao.silva` → `Joao`), or `defaultOwnerName` when the
 * login is a system account or does not look like a first name.
 */
export function ownerNameFor(login: string | undefined): string {
  const first = (login ?? '').split(/[._\-\s]/)[0] ?? '';
  if (!/^\p{L}{2,20}$/u.test(first) || systemLogins.has(first.toLowerCase())) return defaultOwnerName;
  return first.charAt(0).toLocaleUpperCase() + first.slice(1).toLocaleLowerCase();
}

/** The computer's login name, if the system can tell (a container's user may have no passwd entry). */
export function computerLogin(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME;
  }
}

export interface TerminalResult {
  /** `quit`: the member typed /quit; `end`: the input ended. */
  readonly reason: 'quit' | 'end';
  /** Lines run (not counting blank lines and comments). */
  readonly lines: number;
}

/** The workspace and channel the terminal simulates. */
export const terminalWorkspace = { externalId: 'local', name: 'Terminal' } as const;
export const terminalChannel = { externalId: 'geral', name: 'geral' } as const;

/** The workspace of `--workspace NAME` (a slug checked by terminal-args.ts): `local` is the default one. */
export function terminalWorkspaceNamed(name: string): { readonly externalId: string; readonly name: string } {
  return name === terminalWorkspace.externalId ? terminalWorkspace : { externalId: name, name };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const units = { m: MINUTE, h: HOUR, d: 24 * HOUR, w: 7 * 24 * HOUR } as const;
/** The farthest one `/tick` goes: enough for a long test, short enough that a typo does not tick for minutes. */
export const maxTickWeeks = 8;

/**
 * The account key of a name given to `/as`: neutralised (no control, direction or zero-width characters), NFKC (a
 * full-width `Ａｎａ` is `Ana`), lower case, inner spaces collapsed. Any script and any emoji stay themselves:
 * `Иван`, `Петр`, `😀` and `🔥` are four people, `Ana!` and `Ana?` two, `José` and `Jose` two. Null when nothing
 * readable is left.
 */
export function terminalAccountKey(name: string): string | null {
  const key = neutralizeName(name, '').normalize('NFKC').toLowerCase();
  return key === '' ? null : key;
}

/** The folder of one member's files under `filesDir`: a hash of the account, so no name reaches a path. */
export function memberFilesFolder(externalId: string): string {
  return `member-${createHash('sha256').update(externalId).digest('hex').slice(0, 16)}`;
}

/** `/tick` amounts: `90m`, `2h`, `1d`, `1w` (a whole number and one unit). */
export function parseDuration(value: string): { ms: number; count: number; unit: keyof typeof units } | null {
  const match = /^(\d{1,6})\s*([mhdw])$/i.exec(value.trim());
  if (!match) return null;
  const count = Number(match[1]);
  const unit = (match[2] ?? '').toLowerCase() as keyof typeof units;
  if (count <= 0) return null;
  return { ms: count * units[unit], count, unit };
}

interface Actor {
  readonly externalId: string;
  readonly name: string;
  admin: boolean;
  /** The member's language and zone as last read (their own choice, else the workspace's). */
  locale: Locale;
  timeZone: string;
}

/** Runs the chat until `/quit` or the end of the input. Never throws for what a member types. */
export async function runTerminal(options: TerminalOptions): Promise<TerminalResult> {
  const session = new TerminalSession(options);
  // The line iterator is made before any await, so lines that arrive during start-up are buffered, not lost.
  const rl = createInterface({
    input: options.input,
    output: options.interactive ? options.output : undefined,
    terminal: options.interactive,
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  const lines = rl[Symbol.asyncIterator]();
  if (options.interactive) rl.on('SIGINT', () => rl.close());
  let run = 0;
  let reason: TerminalResult['reason'] = 'end';
  try {
    await session.start();
    for (;;) {
      if (options.interactive) {
        rl.setPrompt(session.prompt());
        rl.prompt();
      }
      options.onIdle?.();
      const next = await lines.next();
      if (next.done) break;
      const line = next.value.trim();
      if (line === '' || line.startsWith('#')) continue;
      run += 1;
      if ((await session.handle(line)) === 'quit') {
        reason = 'quit';
        break;
      }
    }
  } finally {
    rl.close();
  }
  return { reason, lines: run };
}

/** One terminal session: who acts, the clock, the rendered buttons, and the channel. */
export class TerminalSession {
  readonly #app: App;
  readonly #out: Writable;
  readonly #interactive: boolean;
  readonly #logger: Logger;
  readonly #renderer: TerminalRenderer;
  readonly #filesDir: string;
  readonly #makeScheduler: (workspaceId: string) => TerminalScheduler;
  readonly #notifier: Notifier;
  #scheduler!: TerminalScheduler;
  /** The workspace as the platform names it (`local`, or `--workspace`'s), in every request. */
  readonly #workspaceRef: { readonly externalId: string; readonly name: string };
  readonly #ownerName: string;
  /** Members met in this session, by account key (`terminalAccountKey`). */
  readonly #actors = new Map<string, Actor>();
  /** Titles of the posts made through the notifier, for thread labels. */
  readonly #posts = new Map<string, string>();
  #postCount = 0;
  readonly #session = `post-${randomUUID().slice(0, 8)}`;
  /**
   * Command exercises (docs/content-format.md): the input button clicked, whose answer is the next line; the latest
   * input button a line starting with `docker` answered or was hinted for (a `docker …` line answers the latest one
   * shown, once).
   */
  #awaiting: string | undefined;
  #inputAnswered = 0;
  #inputHinted = 0;
  #now: Date;
  #actor!: Actor;
  #workspace!: WorkspaceRecord;
  #channel: ChannelRecord | null = null;

  constructor(options: TerminalOptions) {
    this.#app = options.app;
    this.#out = options.output;
    this.#interactive = options.interactive;
    this.#logger = options.logger ?? options.app.logger;
    this.#renderer = new TerminalRenderer({ color: options.color ?? false });
    this.#filesDir = options.filesDir ?? join(tmpdir(), 'trilha-files');
    this.#now = options.now ?? new Date();
    this.#workspaceRef = options.workspace ?? terminalWorkspace;
    this.#ownerName = options.ownerName ?? defaultOwnerName;
    const notifier: Notifier = {
      post: (target, message) => this.#post(target, message),
      direct: (userRef, message) => this.#direct(userRef, message),
    };
    this.#notifier = notifier;
    // Made once the workspace row exists: the scheduler posts only that workspace's channel, the one this notifier
    // prints (another terminal session on the database posts its own).
    this.#makeScheduler = (workspaceId) =>
      options.scheduler
        ? options.scheduler(notifier)
        : new DropScheduler({
            services: options.app.services,
            notifier,
            logger: this.#logger,
            owner: `terminal:${randomUUID()}`,
            platform: 'terminal',
            workspaceId,
            jobs: options.app.jobs,
          });
  }

  get now(): Date {
    return this.#now;
  }

  get renderer(): TerminalRenderer {
    return this.#renderer;
  }

  /** Sets up the workspace, the first member (an admin) and #geral, greets, and posts whatever is due now. */
  async start(): Promise<void> {
    const { services } = this.#app;
    this.#workspace = await services.stores.members.ensureWorkspace({
      platform: 'terminal',
      externalId: this.#workspaceRef.externalId,
      name: this.#workspaceRef.name,
      defaultLocale: services.defaults.locale,
      timeZone: services.defaults.timeZone,
    });
    this.#scheduler = this.#makeScheduler(this.#workspace.id);
    // Security notices (a link code used) to this workspace's members print here.
    this.#app.dispatcher.notifyThrough('terminal', this.#notifier);
    const { t } = translator(this.#workspace.defaultLocale);
    const owner: Actor = {
      externalId: `${this.#workspaceRef.externalId}-owner`,
      name: this.#ownerName,
      admin: true,
      locale: this.#workspace.defaultLocale,
      timeZone: this.#workspace.timeZone,
    };
    this.#actors.set(terminalAccountKey(owner.name) ?? owner.externalId, owner);
    this.#actor = owner;
    await this.#refresh();
    const track = services.curriculum.tracks[0];
    if (track) {
      this.#channel = await services.stores.drops.ensureChannel({
        workspaceId: this.#workspace.id,
        externalId: terminalChannel.externalId,
        name: terminalChannel.name,
        trackId: track.id,
        locale: this.#workspace.defaultLocale,
        timeZone: this.#workspace.timeZone,
        startDate: localDateOf(this.#now, this.#workspace.timeZone),
      });
    }
    const welcome: Block[] = [
      { kind: 'text', text: t('terminal.welcome', { channel: terminalChannel.name, name: owner.name }) },
    ];
    // Named only when it is not the default: then another session on the database is probably another team.
    if (this.#workspaceRef.externalId !== terminalWorkspace.externalId) {
      welcome.push({ kind: 'context', text: t('terminal.workspace', { name: this.#workspaceRef.name }) });
    }
    this.#write(this.#renderer.message({ blocks: welcome }));
    await this.#tick();
  }

  /** The readline prompt: who is typing. */
  prompt(): string {
    return `${this.#renderer.style('dim', this.#actor.name)} › `;
  }

  /** Runs one input line (already trimmed, not blank). */
  async handle(line: string): Promise<'quit' | 'continue'> {
    if (!this.#interactive) this.#write(`${this.prompt()}${terminalSafe(line)}\n`);
    try {
      const [word = '', ...rest] = line.split(/\s+/);
      const control = word.toLowerCase();
      if (['/quit', '/sair', '/exit'].includes(control)) {
        await this.#say(async (t) => t('terminal.bye'));
        return 'quit';
      }
      const awaiting = this.#awaiting;
      this.#awaiting = undefined;
      if (awaiting !== undefined && ['/cancel', '/cancelar'].includes(control)) {
        await this.#say(async (t) => t('exercises.terminal.cancelled'));
        return 'continue';
      }
      await this.#tick();
      const offered = this.#renderer.lastInput;
      if (awaiting !== undefined && !control.startsWith('/')) await this.#answerTyped(awaiting, line);
      else if (offered > this.#inputAnswered && /^(\$\s+)?(sudo\s+)?docker(-compose)?(\s|$)/.test(line)) {
        this.#inputAnswered = offered;
        await this.#answerTyped(this.#renderer.actionFor(offered) ?? '', line);
      } else if (/^\d+$/.test(line)) await this.#click(line);
      else if (control === '/trilha') await this.#command(rest.join(' '));
      else if (control.startsWith('/')) await this.#control(control, rest);
      else await this.#command(line);
    } catch (error) {
      // The dispatcher answers every command failure itself; this is the adapter's own last guard.
      this.#logger.error({ err: error, line }, 'terminal line failed');
      await this.#say(async (t) => t('terminal.failed')).catch(() => undefined);
    }
    await this.#hintInput().catch(() => undefined);
    return 'continue';
  }

  /** Grades what the member typed for the command exercise behind `actionId` (the other platforms' text input). */
  async #answerTyped(actionId: string, typed: string): Promise<void> {
    const replies = await this.#app.dispatcher.action({ ...this.#request(), actionId, typed });
    await this.#refresh();
    this.#show(replies);
  }

  /** Once per new command exercise shown: how to answer it here. */
  async #hintInput(): Promise<void> {
    const latest = this.#renderer.lastInput;
    if (latest <= this.#inputHinted) return;
    this.#inputHinted = latest;
    await this.#say(async (t) => t('exercises.terminal.hint'));
  }

  async #control(control: string, args: string[]): Promise<void> {
    switch (control) {
      case '/help':
      case '/ajuda':
        return this.#help();
      case '/now':
      case '/agora':
        return this.#say(async (t, zone, locale) => t('terminal.now', { time: formatTime(this.#now, locale, zone) }));
      case '/tick':
      case '/avancar':
        return this.#advance(args.join(' '));
      case '/as':
      case '/como':
        return this.#switch(args);
      case '/who':
      case '/quem':
        return this.#who();
      case '/click':
      case '/clicar':
        return args.length === 1 && /^\d+$/.test(args[0] ?? '')
          ? this.#click(args[0] ?? '')
          : this.#say(async (t) => t('terminal.click.missing'));
      default:
        return this.#say(async (t) => t('terminal.unknown_control', { name: control.slice(0, 40) }));
    }
  }

  async #help(): Promise<void> {
    const { t } = translator(this.#actor.locale);
    this.#write(
      this.#renderer.message({
        headline: t('terminal.help.headline'),
        blocks: [
          { kind: 'text', text: t('terminal.help.body') },
          { kind: 'context', text: t('terminal.help.clock') },
        ],
      }),
    );
  }

  async #command(text: string): Promise<void> {
    const replies = await this.#app.dispatcher.command({ ...this.#request(), text });
    await this.#refresh();
    this.#show(replies);
  }

  async #click(typed: string): Promise<void> {
    const number = Number(typed);
    const actionId = this.#renderer.actionFor(number);
    if (actionId === undefined) {
      const last = this.#renderer.lastButton;
      await this.#say(async (t) =>
        last === 0 ? t('terminal.click.none', { number: typed }) : t('terminal.click.unknown', { number: typed, last }),
      );
      return;
    }
    if (this.#renderer.asksInput(number)) {
      // A command exercise: the next line is the answer, as a text input would be on Slack or Discord.
      this.#awaiting = actionId;
      await this.#say(async (t) => t('exercises.terminal.type_now'));
      return;
    }
    const replies = await this.#app.dispatcher.action({ ...this.#request(), actionId });
    const decoded = decodeAction(actionId);
    if (decoded.ok && decoded.action.kind === 'delete-my-data') {
      // The member's files go with their data.
      if (await this.#app.services.stores.members.isDeleted(this.#workspace.id, this.#actor.externalId)) {
        rmSync(join(this.#filesDir, memberFilesFolder(this.#actor.externalId)), { recursive: true, force: true });
      }
    } else {
      await this.#refresh();
    }
    this.#show(replies);
  }

  async #switch(args: string[]): Promise<void> {
    const words = [...args];
    if (words.length === 0) return this.#say(async (t) => t('terminal.as.missing'));
    const admin = words.length > 1 && fold(words[words.length - 1] ?? '') === 'admin';
    if (admin) words.pop();
    const name = neutralizeName(words.join(' '), '');
    const key = terminalAccountKey(name);
    if (key === null || [...name].length > 40) return this.#say(async (t) => t('terminal.as.bad_name'));
    let actor = this.#actors.get(key);
    if (!actor) {
      const { defaultLocale: locale, timeZone } = this.#workspace;
      const externalId = `${this.#workspaceRef.externalId}:${key}`;
      actor = { externalId, name, admin, locale, timeZone };
      this.#actors.set(key, actor);
    }
    if (admin) actor.admin = true;
    this.#actor = actor;
    // Acting as someone makes them a member of the workspace, as a first message on a platform would.
    await this.#refresh();
    await this.#say(async (t) => t('terminal.as.now', { name: actor.name, admin: actor.admin ? 'yes' : 'no' }));
  }

  async #who(): Promise<void> {
    const members = [...this.#actors.values()].map((actor) => actor.name).join(', ');
    await this.#say(async (t) =>
      t('terminal.who', {
        name: this.#actor.name,
        admin: this.#actor.admin ? 'yes' : 'no',
        channel: terminalChannel.name,
        members,
      }),
    );
  }

  /** Moves the clock, ticking the scheduler every hour and at each drop (and its close) on the way. */
  async #advance(typed: string): Promise<void> {
    const duration = parseDuration(typed);
    if (!duration) return this.#say(async (t) => t('terminal.tick.bad', { typed: typed.slice(0, 40) }));
    if (duration.ms > maxTickWeeks * units.w) {
      return this.#say(async (t) => t('terminal.tick.too_far', { max: maxTickWeeks }));
    }
    const from = this.#now.getTime();
    const to = from + duration.ms;
    const stops = new Set<number>([to]);
    for (let at = from + HOUR; at < to; at += HOUR) stops.add(at);
    for (const at of await this.#dropInstants(from, to)) stops.add(at);
    for (const at of [...stops].sort((a, b) => a - b)) {
      this.#now = new Date(at);
      await this.#tick();
    }
    await this.#say(async (t, zone, locale) =>
      t('terminal.tick.done', {
        amount: t(`terminal.unit.${duration.unit}`, { count: duration.count }),
        time: formatTime(this.#now, locale, zone),
      }),
    );
  }

  /** The instants in (from, to] when #geral drops a lesson or closes a timed quiz. */
  async #dropInstants(from: number, to: number): Promise<number[]> {
    if (!this.#channel) return [];
    try {
      const channel =
        (await this.#app.services.stores.members.findChannel(this.#workspace.id, terminalChannel.externalId)) ??
        this.#channel;
      const instants: number[] = [];
      let cursor = new Date(from);
      for (;;) {
        const drop = nextDrop(channel, cursor);
        if (!drop || drop.at.getTime() > to) break;
        instants.push(drop.at.getTime());
        if (channel.quizCloseMinutes !== null) instants.push(drop.at.getTime() + channel.quizCloseMinutes * MINUTE);
        cursor = drop.at;
      }
      return instants.filter((at) => at > from && at <= to);
    } catch (error) {
      // Hourly ticks still cover the way; exact instants only keep drops from being posted up to an hour late.
      this.#logger.warn({ err: error }, 'terminal could not compute the drop instants');
      return [];
    }
  }

  async #tick(): Promise<void> {
    try {
      await this.#scheduler.tick(this.#now);
    } catch (error) {
      this.#logger.error({ err: error }, 'scheduler tick failed in the terminal');
      await this.#say(async (t) => t('terminal.scheduler_failed')).catch(() => undefined);
    }
  }

  /** The terminal's Notifier: prints the post with its channel (and thread) and the clock's time. */
  async #post(target: PostTarget, message: Message): Promise<PostRef> {
    this.#postCount += 1;
    // Unique across sessions too: a restarted terminal on the same database must not reuse an earlier post's ref.
    const postRef = `${this.#session}-${this.#postCount}`;
    const title = message.headline ?? target.threadName ?? postRef;
    this.#posts.set(postRef, title);
    const locale = this.#channel?.locale ?? this.#workspace.defaultLocale;
    const zone = this.#channel?.timeZone ?? this.#workspace.timeZone;
    const { t } = translator(locale);
    const channel = this.#channelName(target.channelRef);
    const time = formatTime(this.#now, locale, zone);
    const label = target.threadOf
      ? t('terminal.post.thread', { channel, title: this.#threadTitle(target.threadOf, target.threadName), time })
      : t('terminal.post.channel', { channel, time });
    this.#write(this.#renderer.message(message, label));
    this.#saveFiles(message, t);
    return { postRef, threadRef: target.threadOf ?? postRef };
  }

  /** A direct message (a nudge) to the member whose terminal user id is `userRef`, shown with its addressee. */
  async #direct(userRef: string, message: Message): Promise<PostRef> {
    this.#postCount += 1;
    const postRef = `${this.#session}-${this.#postCount}`;
    const actor = [...this.#actors.values()].find((candidate) => candidate.externalId === userRef);
    const locale = actor?.locale ?? this.#workspace.defaultLocale;
    const { t } = translator(locale);
    const time = formatTime(this.#now, locale, actor?.timeZone ?? this.#workspace.timeZone);
    this.#write(this.#renderer.message(message, t('terminal.post.direct', { name: actor?.name ?? userRef, time })));
    this.#saveFiles(message, t, userRef);
    return { postRef, threadRef: postRef };
  }

  #threadTitle(postRef: string, fallback?: string): string {
    return this.#posts.get(postRef) ?? fallback ?? postRef;
  }

  #channelName(channelRef: string): string {
    return channelRef === this.#channel?.externalId ? this.#channel.name : channelRef;
  }

  #show(replies: readonly Reply[]): void {
    const { t } = translator(this.#actor.locale);
    for (const reply of replies) {
      const channel = this.#channel?.name ?? terminalChannel.name;
      const label =
        reply.audience.kind === 'private'
          ? `🔒 ${t('common.only_you')}`
          : reply.audience.kind === 'here'
            ? t('terminal.reply.channel', { channel })
            : t('terminal.reply.thread', { channel, title: this.#threadTitle(reply.audience.postRef) });
      this.#write(this.#renderer.message(reply.message, label));
      this.#saveFiles(reply.message, t, reply.audience.kind === 'private' ? this.#actor.externalId : undefined);
    }
  }

  /**
   * Writes the message's files to `filesDir` (a name already used gets a counter: `report-2.csv`) and shows one line
   * per file with its path and size, as a chat shows an attachment.
   */
  #saveFiles(message: Message, t: ReturnType<typeof translator>['t'], owner?: string): void {
    if (!message.files?.length) return;
    const dir = owner === undefined ? this.#filesDir : join(this.#filesDir, memberFilesFolder(owner));
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // mkdir's mode is masked by the umask and leaves an existing folder alone.
    chmodSync(dir, 0o700);
    for (const file of message.files) {
      // Only the name's last part, no control characters: a file name never leaves the folder.
      const safeName = neutralizeName(file.filename.replace(/^.*[/\\]/, '').replace(/^\.+/, ''), 'file');
      const dot = safeName.lastIndexOf('.');
      const [stem, ext] = dot > 0 ? [safeName.slice(0, dot), safeName.slice(dot)] : [safeName, ''];
      let path = join(dir, safeName);
      for (let n = 2; existsSync(path); n++) path = join(dir, `${stem}-${n}${ext}`);
      writeFileSync(path, file.data, { mode: 0o600, flag: 'wx' });
      const size =
        file.data.byteLength < 1024 ? `${file.data.byteLength} B` : `${(file.data.byteLength / 1024).toFixed(1)} KB`;
      this.#write(
        this.#renderer.message({
          blocks: [{ kind: 'context', text: t('terminal.file', { name: file.title ?? file.filename, size, path }) }],
        }),
      );
    }
  }

  /**
   * A one-line answer of the terminal itself, in the acting member's language and time zone as last read: terminal
   * controls never write to the database, so `/now` after deleting one's data does not bring the member back.
   */
  async #say(text: (t: ReturnType<typeof translator>['t'], zone: string, locale: Locale) => Promise<string>) {
    const { locale, timeZone } = this.#actor;
    const line = await text(translator(locale).t, timeZone, locale);
    this.#write(this.#renderer.message({ blocks: [{ kind: 'context', text: line }] }));
  }

  /** Reads the acting member's language and zone (they change with `idioma` and `fuso`); creates them on first use. */
  async #refresh(): Promise<void> {
    try {
      const member = await this.#app.services.stores.members.ensureMember(
        this.#workspace,
        this.#actor.externalId,
        this.#actor.name,
      );
      this.#actor.locale = member.locale ?? this.#workspace.defaultLocale;
      this.#actor.timeZone = member.timeZone ?? this.#workspace.timeZone;
    } catch (error) {
      // A member who deleted their data comes back only with a typed command: meanwhile the language as last read.
      if (!(error instanceof MemberDeletedError)) throw error;
    }
  }

  #request(): Request {
    return {
      platform: 'terminal',
      workspace: this.#workspaceRef,
      user: { externalId: this.#actor.externalId, displayName: this.#actor.name, isAdmin: this.#actor.admin },
      channel: this.#channel
        ? { externalId: this.#channel.externalId, name: this.#channel.name }
        : { externalId: terminalChannel.externalId, name: terminalChannel.name },
      now: this.#now,
    };
  }

  #write(text: string): void {
    this.#out.write(text);
  }
}

/** `ter., 01/12/2026, 09:00 (America/Sao_Paulo)`: the clock as the member reads it. */
export function formatTime(instant: Date, locale: Locale, timeZone: string): string {
  const local = new Intl.DateTimeFormat(locale, {
    weekday: 'short',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  }).format(instant);
  return `${local} (${timeZone})`;
}
