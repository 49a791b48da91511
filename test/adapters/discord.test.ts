/**
 * The Discord adapter through the real discord.js, against a fake Discord on 127.0.0.1 (test/fakes/discord.ts: REST
 * and the gateway): the registration payload, channel setup by a manager and refused to a member, missing bot
 * permissions explained, a drop day with three members answering right and wrong, a double click, every command in
 * pt-BR and en, autocomplete, a deferred answer, a racing replica (40060), two bot processes on one database, Discord
 * errors and a 429 on a drop, and the scheduler posting through Discord with the clock moved; files in replies (direct,
 * deferred) and in posts (also with Slack's undici as the process's dispatcher), direct messages (closed DMs), and keyed posts made once across a retry (`enforce_nonce`);
 * a nudge's buttons clicked in the direct message (no guild: the member's server found from their identity), a
 * stranger's click and a slash command in a DM answered "use it in a server".
 */
import { createRequire } from 'node:module';
import { REST, Routes } from 'discord.js';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { applicationCommands, commandLimits } from '../../src/adapters/discord/commands.ts';
import {
  type DiscordRuntime,
  discordError,
  postNonce,
  startDiscord,
} from '../../src/adapters/discord/discord.adapter.ts';
import { type App, openApp } from '../../src/app.ts';
import { encodeAction } from '../../src/core/action-id.ts';
import { type Attachment, type Message, privately, text } from '../../src/core/message.ts';
import { currentLogContext } from '../../src/ops/log-context.ts';
import { createLogger, silentLogger } from '../../src/runtime/logger.ts';
import { DropScheduler } from '../../src/scheduler/drop-scheduler.ts';
import { nudgeMessage } from '../../src/scheduler/nudges.ts';
import {
  type FakeDiscord,
  type FakeDiscordOptions,
  type RecordedCall,
  type SentInteraction,
  type SlashCommandInput,
  startFakeDiscord,
} from '../fakes/discord.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { dockerTrack } from '../support/engine.ts';
import { eventually } from '../support/eventually.ts';

const token = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GsEcRt.discord-test-secret-token';
const guildId = '100000000000000001';
const geral = '110000000000000001';
const limited = '110000000000000002';
const manageGuild = String(1n << 5n);
// View Channel and Send Messages only: no embeds, no threads.
const fewPermissions = String((1n << 10n) | (1n << 11n));

const ana = { id: '200000000000000001', username: 'ana', globalName: 'Ana' };
const bia = { id: '200000000000000002', username: 'bia', globalName: 'Bia' };
const cau = { id: '200000000000000003', username: 'cau', globalName: 'Cau' };
const admin = { id: '200000000000000009', username: 'admin', globalName: 'Admin' };

interface Shown {
  content?: string;
  embeds?: { title?: string; description?: string; footer?: { text?: string } }[];
  components?: { components: { custom_id?: string; label?: string }[] }[];
}

/** All the text a message body shows: content, embed titles, descriptions and footers. */
function shown(body: Shown | undefined): string {
  if (!body) return '';
  const embeds = (body.embeds ?? []).flatMap((e) => [e.title ?? '', e.description ?? '', e.footer?.text ?? '']);
  return [body.content ?? '', ...embeds].join('\n');
}

/** The message a recorded interaction response carries (a callback's `data`, a webhook's body). */
function messageOf(call: RecordedCall): Shown | undefined {
  const body = call.body as { type?: number; data?: Shown } & Shown;
  return call.path.includes('/callback') ? body.data : body;
}

function customIds(body: Shown | undefined): string[] {
  return (body?.components ?? []).flatMap((row) => row.components.map((button) => button.custom_id ?? ''));
}

interface DiscordWorld {
  readonly fake: FakeDiscord;
  readonly app: App;
  readonly discord: DiscordRuntime;
  readonly logs: () => string;
  close(): Promise<void>;
}

async function discordWorld(
  database: TestDatabase,
  options: { deferAfterMs?: number; liveCountIntervalMs?: number; fake?: Partial<FakeDiscordOptions> } = {},
): Promise<DiscordWorld> {
  const fake = await startFakeDiscord({
    ...options.fake,
    token,
    guilds: [
      {
        id: guildId,
        name: 'Escola',
        preferredLocale: 'pt-BR',
        channels: [
          { id: geral, name: 'geral' },
          { id: limited, name: 'limitado', botPermissions: fewPermissions },
        ],
      },
    ],
  });
  const app = await openApp({
    database: database.target,
    tracks: dockerTrack(),
    defaults: { locale: 'pt-BR', timeZone: 'America/Sao_Paulo' },
    logger: silentLogger(),
  });
  let logs = '';
  const logger = createLogger(
    'debug',
    {
      write(line: string) {
        logs += line;
      },
    },
    { context: currentLogContext },
  );
  const discord = await startDiscord({
    app,
    token,
    apiUrl: fake.apiUrl,
    logger,
    waitGuildTimeoutMs: 1000,
    liveCountIntervalMs: options.liveCountIntervalMs ?? 100,
    ...(options.deferAfterMs !== undefined ? { deferAfterMs: options.deferAfterMs } : {}),
  });
  return {
    fake,
    app,
    discord,
    logs: () => logs,
    async close() {
      await discord.stop();
      await app.close();
      await fake.close();
    },
  };
}

describe('Discord adapter (real discord.js, fake Discord)', () => {
  let database: TestDatabase;
  let world: DiscordWorld;
  let fake: FakeDiscord;
  let app: App;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    world = await discordWorld(database);
    ({ fake, app } = world);
  });
  afterAll(async () => {
    await world?.close();
    await database?.drop();
  });

  const scheduler = (owner: string) =>
    new DropScheduler({
      services: app.services,
      notifier: world.discord.notifier,
      logger: silentLogger(),
      owner,
      platform: 'discord',
    });

  /** Sends a slash command and returns the text of everything the bot answered to it. */
  async function command(
    input: Omit<SlashCommandInput, 'guildId' | 'channelId' | 'name'> & { name?: string; channelId?: string },
    target: FakeDiscord = fake,
  ): Promise<{ text: string; calls: RecordedCall[]; interaction: SentInteraction }> {
    const interaction = target.slashCommand({ guildId, channelId: geral, name: 'trilha', ...input });
    await target.waitForResponse(interaction);
    await new Promise((resolve) => setTimeout(resolve, 40)); // a command may answer with follow-ups
    const calls = target.responsesTo(interaction);
    return { text: calls.map((call) => shown(messageOf(call))).join('\n'), calls, interaction };
  }

  it('GIVEN the command set THEN /trilha and /trilha-channel are registered with pt-BR names, choices, Manage Server and Discord’s limits', async () => {
    const body = applicationCommands(app.dispatcher.commands, app.services.curriculum);
    const [root, channel] = body;
    expect(body.map((c) => c.name)).toEqual(['trilha', 'trilha-channel', 'trilha-report']);
    expect(channel?.name_localizations).toEqual({ 'pt-BR': 'trilha-canal' });
    const report = body.find((c) => c.name === 'trilha-report');
    expect(report).toMatchObject({
      name_localizations: { 'pt-BR': 'trilha-relatorio' },
      default_member_permissions: manageGuild,
      options: [
        {
          name: 'kind',
          name_localizations: { 'pt-BR': 'tipo' },
          choices: [{ value: 'summary' }, { value: 'members' }],
        },
        { name: 'cohort', name_localizations: { 'pt-BR': 'turma' }, autocomplete: true },
      ],
    });
    expect(channel?.default_member_permissions).toBe(manageGuild);
    expect(root?.default_member_permissions).toBeUndefined();
    const subcommands = root?.options ?? [];
    expect(subcommands.map((s) => s.name)).toContain('today');
    expect(subcommands.find((s) => s.name === 'today')?.name_localizations).toEqual({ 'pt-BR': 'hoje' });
    expect(subcommands.length).toBeLessThanOrEqual(commandLimits.options);
    const leaderboard = subcommands.find((s) => s.name === 'leaderboard') as { options?: Record<string, unknown>[] };
    expect(leaderboard.options?.[0]).toMatchObject({
      name: 'period',
      name_localizations: { 'pt-BR': 'periodo' },
      choices: [
        { value: 'week', name_localizations: { 'pt-BR': 'Esta semana' } },
        { value: 'all', name_localizations: { 'pt-BR': 'Desde o início' } },
      ],
    });
    expect(leaderboard.options?.[1]).toMatchObject({ name: 'cohort', autocomplete: true });
    for (const command of body) expect(JSON.stringify(command).length).toBeLessThan(commandLimits.totalChars * 2);
    // The fake validates names, lengths and counts as Discord does (50035 otherwise).
    const rest = new REST({ api: fake.apiUrl }).setToken(token);
    await rest.put(Routes.applicationGuildCommands(fake.applicationId, guildId), { body });
    expect(fake.registeredCommands({ guildId }).map((c: { name: string }) => c.name)).toEqual([
      'trilha',
      'trilha-channel',
      'trilha-report',
    ]);
  });

  it('GIVEN a member THEN channel setup is refused; GIVEN a manager THEN it is saved; GIVEN a channel where the bot lacks permissions THEN they are named', async () => {
    const setup = (user: typeof ana, permissions: string, setting: string, value: string, channelId = geral) =>
      command({
        name: 'trilha-channel',
        user,
        permissions,
        channelId,
        options: [opt('setting', setting), ...(value ? [opt('value', value)] : [])],
      });
    expect((await setup(ana, '0', 'time', '00:00')).text).toContain('Só administradores podem usar');
    const saved = await setup(admin, manageGuild, 'time', '00:00');
    expect(saved.text).toContain('Horário das lições agora: 00:00.');
    // Private: an ephemeral answer to the interaction itself.
    expect(saved.calls[0]?.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect((await setup(admin, manageGuild, 'days', 'todos')).text).toContain('Dias das lições agora:');
    const refused = await setup(admin, manageGuild, 'time', '09:00', limited);
    expect(refused.text).toContain('Inserir links');
    expect(refused.text).toContain('Criar tópicos públicos');
    expect(refused.text).not.toContain('Enviar mensagens,');
    expect(await app.db.channel.count()).toBe(1);
  });

  it('GIVEN the day’s drop THEN the lesson is an embed, the quiz a thread of button questions; three members answer, a double click counts once, the count is live', async () => {
    const drops = scheduler('test');
    expect((await drops.tick(new Date())).posted).toBe(1);
    const lesson = app.services.curriculum.tracks[0]?.lessons[0];
    const posted = fake.messagesIn(geral);
    expect(posted).toHaveLength(1);
    const lessonPost = posted[0] as Shown & { id: string };
    expect(lessonPost.embeds?.[0]?.title).toBe(lesson?.title['pt-BR']);
    const thread = fake.threads().find((t) => t.id === lessonPost.id);
    expect(thread).toMatchObject({ parentId: geral, name: lesson?.title['pt-BR'] });
    const questions = fake.messagesIn(lessonPost.id) as (Shown & { id: string })[];
    expect(questions).toHaveLength(lesson?.questions.length ?? 0);

    const first = lesson?.questions[0];
    const question = questions[0] as Shown & { id: string };
    const ids = customIds(question);
    expect(ids).toHaveLength(first?.options.length ?? 0);
    const right = ids[first?.correctIndex ?? 0] as string;
    const wrong = ids.find((id) => id !== right) as string;
    const click = async (user: typeof ana, customId: string, locale = 'pt-BR') => {
      const interaction = fake.button({
        guildId,
        channelId: lessonPost.id,
        channelType: 11,
        parentId: geral,
        user,
        locale,
        customId,
        messageId: question.id,
      });
      const [response] = await fake.waitForResponse(interaction);
      return response as RecordedCall;
    };
    const anaAnswer = await click(ana, right);
    expect(anaAnswer.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(shown(messageOf(anaAnswer))).toContain('✅ Certo!');
    expect(shown(messageOf(await click(bia, wrong, 'en-US')))).toContain('❌ Not this time');
    expect(shown(messageOf(await click(cau, wrong)))).toContain('❌ Não foi dessa vez');
    expect(shown(messageOf(await click(ana, wrong)))).toContain('Você já respondeu esta pergunta');
    expect(await app.db.attempt.count()).toBe(3);
    const stats = await app.db.memberStats.aggregate({ _sum: { answered: true, correct: true } });
    expect(stats._sum).toEqual({ answered: 3, correct: 1 });

    // The question message shows how many answered (3, whatever the double click), never who; its buttons stay.
    const counted = await eventually(() => {
      const now = fake.messagesIn(lessonPost.id).find((m) => m.id === question.id) as Shown | undefined;
      return now && shown(now).includes('👥 3') && now;
    });
    expect(customIds(counted)).toEqual(ids);
    expect(shown(counted)).not.toMatch(/Ana|Bia|Cau/);
    const edits = fake.callsTo('PATCH', `/channels/${lessonPost.id}/messages/${question.id}`);
    expect(edits.length).toBeLessThanOrEqual(4);
  });

  const everyCommand: [string, { name: string; type: number; value: string }[]][] = [
    ['today', []],
    ['next', []],
    ['quiz', []],
    ['review', []],
    ['ask', [opt('question', 'docker')]],
    ['progress', []],
    ['progress', [{ name: 'member', type: 6, value: ana.id }]],
    ['leaderboard', []],
    ['leaderboard', [opt('period', 'all')]],
    ['cohort', [opt('action', 'list')]],
    ['language', []],
    ['timezone', []],
    ['my-data', []],
    ['help', []],
    ['help', [opt('command', 'leaderboard')]],
  ];

  it.each([
    ['pt-BR', ana, /Algo deu errado/, '/trilha perguntar'],
    ['en-US', bia, /Something went wrong/, '/trilha ask'],
  ] as const)(
    'GIVEN a member whose Discord speaks %s THEN every command answers in that language, without an error',
    async (locale, user, error, helpLine) => {
      for (const [subcommand, options] of everyCommand) {
        const { text } = await command({ user, locale, subcommand, options });
        expect(text, subcommand).not.toMatch(/Algo deu errado|Something went wrong/);
        expect(text.length, subcommand).toBeGreaterThan(0);
        expect(text, subcommand).not.toMatch(error);
      }
      expect((await command({ user, locale, subcommand: 'help' })).text).toContain(helpLine);
      const settings = await command({ name: 'trilha-channel', user: admin, permissions: manageGuild, locale });
      expect(settings.text).toContain(locale === 'en-US' ? 'Lessons in this channel' : 'Lições neste canal');
    },
  );

  it('GIVEN a member types in an autocompleted option THEN cohorts, time zones and lessons are suggested', async () => {
    const suggestions = async (
      subcommand: string,
      options: { name: string; type: number; value: string; focused?: boolean }[],
    ) => {
      const interaction = fake.autocomplete({
        guildId,
        channelId: geral,
        name: 'trilha',
        user: ana,
        subcommand,
        options,
      });
      const [response] = await fake.waitForResponse(interaction);
      const body = response?.body as { type: number; data: { choices: { name: string; value: string }[] } };
      expect(body.type).toBe(8);
      return body.data.choices;
    };
    const cohorts = await suggestions('leaderboard', [{ name: 'cohort', type: 3, value: '', focused: true }]);
    const channelCohort = await app.db.cohort.findFirstOrThrow();
    expect(cohorts.map((c) => c.value)).toContain(channelCohort.slug);
    const zones = await suggestions('timezone', [{ name: 'zone', type: 3, value: 'recife', focused: true }]);
    expect(zones[0]?.value).toBe('America/Recife');
    const lessons = await suggestions('ask', [{ name: 'question', type: 3, value: 'imagem', focused: true }]);
    expect(lessons.length).toBeGreaterThan(0);
    expect(lessons.length).toBeLessThanOrEqual(25);
    for (const lesson of lessons) expect(lesson.value.length).toBeLessThanOrEqual(100);
  });

  it('GIVEN another replica answered the interaction first (40060) THEN nothing is logged as an error and the answer is stored once', async () => {
    const errorsBefore = world
      .logs()
      .split('\n')
      .filter((line) => line.includes('"level":50')).length;
    fake.failNext('POST', /\/interactions\/\d+\/[^/]+\/callback$/, {
      status: 400,
      code: 40060,
      message: 'Interaction has already been acknowledged.',
    });
    const { calls } = await command({ user: ana, subcommand: 'help' });
    expect(calls[0]?.path).toContain('/callback');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const errors = world
      .logs()
      .split('\n')
      .filter((line) => line.includes('"level":50'));
    expect(errors).toHaveLength(errorsBefore);
    const line = world
      .logs()
      .split('\n')
      .find((entry) => entry.includes('already acknowledged'));
    // The interaction's id and platform are on the line from the log context, not passed by the code that logs.
    expect(JSON.parse(line ?? '{}')).toMatchObject({ platform: 'discord', interaction: expect.any(String) });
  });

  it.each([
    [403, 50001, 'Missing Access'],
    [404, 10003, 'Unknown Channel'],
  ])(
    'GIVEN Discord refuses a drop (%s %s) THEN the drop stays claimed and a later tick posts it',
    async (status, code, message) => {
      await app.db.drop.deleteMany();
      const drops = scheduler(`test-${code}`);
      fake.failNext('POST', `/channels/${geral}/messages`, { status, code, message });
      expect(await drops.tick(new Date())).toMatchObject({ posted: 0, failed: 1 });
      const drop = await app.db.drop.findFirstOrThrow();
      expect([drop.status, drop.tries]).toEqual(['claimed', 1]);
      expect(drop.lastError).toContain(message);
      expect((await drops.tick(new Date())).posted).toBe(1);
    },
  );

  it('GIVEN Discord rate-limits a post (429, retry_after 0.2) THEN discord.js waits and the drop is posted once, in the same tick', async () => {
    await app.db.drop.deleteMany();
    const before = fake.messagesIn(geral).length;
    fake.failNext('POST', `/channels/${geral}/messages`, { status: 429, retryAfter: 0.2 });
    expect(await scheduler('test-429').tick(new Date())).toMatchObject({ posted: 1, failed: 0 });
    expect(fake.messagesIn(geral)).toHaveLength(before + 1);
    expect(fake.callsTo('POST', `/channels/${geral}/messages`).length).toBeGreaterThanOrEqual(2);
  });

  it("GIVEN the clock moved a day THEN the next lesson is posted and the day before's quiz closes with its summary in its thread", async () => {
    const today = await app.db.drop.findFirstOrThrow({ where: { status: 'posted' } });
    const result = await scheduler('test-day').tick(new Date(Date.now() + 86_400_000 + 60_000));
    expect(result).toMatchObject({ posted: 1, closed: 1, failed: 0 });
    const summary = fake
      .messagesIn(today.messageRef ?? '?')
      .find((message) => shown(message as Shown).includes('Resultado do quiz'));
    expect(summary, 'summary in the closed quiz thread').toBeDefined();
    const lessons = app.services.curriculum.tracks[0]?.lessons ?? [];
    expect(fake.messagesIn(geral).some((m) => shown(m as Shown).includes(lessons[1]?.title['pt-BR'] ?? '?'))).toBe(
      true,
    );
  });

  it('GIVEN the bot token is revoked THEN a drop fails with Discord’s 401 on record and stays claimed for a retry', async () => {
    await app.db.drop.deleteMany();
    fake.revokeToken();
    expect(await scheduler('test-revoked').tick(new Date())).toMatchObject({ posted: 0, failed: 1 });
    const drop = await app.db.drop.findFirstOrThrow();
    expect([drop.status, drop.tries]).toEqual(['claimed', 1]);
    expect(drop.lastError).toMatch(/401|Unauthorized/);
  });

  it('GIVEN everything above THEN the token never reached a log line', () => {
    expect(world.logs().length).toBeGreaterThan(0);
    expect(world.logs()).not.toContain(token);
    expect(world.logs()).not.toContain('discord-test-secret');
  });
});

describe('Discord adapter: deadlines and replicas', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterAll(() => database?.drop());

  it('GIVEN an answer slower than the deadline allows THEN the interaction is deferred at once and the answer edited in', async () => {
    const world = await discordWorld(database, { deferAfterMs: 20 });
    // A slow database: the answer takes longer than the adapter may wait before deferring.
    const command = world.app.dispatcher.command.bind(world.app.dispatcher);
    world.app.dispatcher.command = async (request) => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      return command(request);
    };
    try {
      const interaction = world.fake.slashCommand({
        guildId,
        channelId: geral,
        name: 'trilha',
        user: ana,
        subcommand: 'help',
      });
      const calls = await world.fake.waitForResponse(interaction, { count: 2, timeoutMs: 10_000 });
      expect(calls[0]?.body).toMatchObject({ type: 5, data: { flags: 64 } });
      expect(calls[1]?.method).toBe('PATCH');
      expect(calls[1]?.path).toMatch(/\/messages\/@original$/);
      expect(shown(messageOf(calls[1] as RecordedCall))).toContain('/trilha perguntar');
    } finally {
      await world.close();
    }
  });

  it('GIVEN two bot processes on one database receive the same click THEN the answer is counted once', async () => {
    const first = await discordWorld(database);
    const second = await discordWorld(database);
    try {
      const setup = first.fake.slashCommand({
        guildId,
        channelId: geral,
        name: 'trilha-channel',
        user: admin,
        permissions: manageGuild,
        options: [opt('setting', 'time'), opt('value', '00:00')],
      });
      await first.fake.waitForResponse(setup);
      const everyDay = first.fake.slashCommand({
        guildId,
        channelId: geral,
        name: 'trilha-channel',
        user: admin,
        permissions: manageGuild,
        options: [opt('setting', 'days'), opt('value', 'todos')],
      });
      await first.fake.waitForResponse(everyDay);
      const drops = new DropScheduler({
        services: first.app.services,
        notifier: first.discord.notifier,
        logger: silentLogger(),
        owner: 'first',
        platform: 'discord',
      });
      await drops.tick(new Date());
      const lessonPost = first.fake.messagesIn(geral)[0] as Shown & { id: string };
      const question = first.fake.messagesIn(lessonPost.id)[0] as Shown & { id: string };
      const customId = customIds(question)[0] as string;
      // The same click reaches both processes (as when two replicas share a token); each fake holds the message.
      const clickOn = (world: DiscordWorld) => {
        if (world !== first) {
          // The second fake has not seen the message: the click carries what the first fake posted.
          world.fake.adoptMessage?.(question);
        }
        return world.fake.button({
          guildId,
          channelId: lessonPost.id,
          channelType: 11,
          parentId: geral,
          user: bia,
          customId,
          messageId: question.id,
        });
      };
      const [a, b] = [clickOn(first), clickOn(second)];
      const answers = await Promise.all([first.fake.waitForResponse(a), second.fake.waitForResponse(b)]);
      const texts = answers.map(([call]) => shown(messageOf(call as RecordedCall)));
      expect(texts.filter((text) => text.includes('Você já respondeu esta pergunta'))).toHaveLength(1);
      const member = await first.app.db.identity.findFirstOrThrow({ where: { externalId: bia.id } });
      expect(await first.app.db.attempt.count({ where: { memberId: member.memberId } })).toBe(1);
    } finally {
      await first.close();
      await second.close();
    }
  });
});

function opt(name: string, value: string) {
  return { name, type: 3, value };
}

/** A valid 2×2 PNG, made by pngjs. */
function tinyPng(): Attachment {
  const png = new PNG({ width: 2, height: 2 });
  png.data.fill(0x40);
  return { filename: 'temporada.png', mimeType: 'image/png', data: PNG.sync.write(png), title: 'Acerto por lição' };
}

const csvText = 'pergunta,primeira tentativa,agora\n"O que é uma imagem?",60%,90%\n';
const csv: Attachment = { filename: 'respostas.csv', mimeType: 'text/csv', data: Buffer.from(csvText) };

describe('Discord adapter: files, direct messages and posts made once', () => {
  let database: TestDatabase;
  let world: DiscordWorld;
  let fake: FakeDiscord;
  let app: App;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    // A server limit of 1 MiB per file (`attachment_size_limit`), so a file over it is cheap to make.
    world = await discordWorld(database, { deferAfterMs: 100, fake: { attachmentSizeLimit: 1024 * 1024 } });
    ({ fake, app } = world);
  });
  afterAll(async () => {
    await world?.close();
    await database?.drop();
  });

  /** The dispatcher answers every command with `replies` (after `delayMs`), as a command that makes a file would. */
  function answerWith(message: Message, delayMs = 0): () => void {
    const original = app.dispatcher.command;
    app.dispatcher.command = async () => {
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      return [privately(message)];
    };
    return () => {
      app.dispatcher.command = original;
    };
  }

  it('GIVEN a command whose reply carries a CSV THEN the ephemeral reply has it as an attachment', async () => {
    const restore = answerWith({ blocks: [text('Suas respostas estão no arquivo.')], files: [csv] });
    try {
      const interaction = fake.slashCommand({
        guildId,
        channelId: geral,
        name: 'trilha',
        user: ana,
        subcommand: 'help',
      });
      const [callback] = await fake.waitForResponse(interaction);
      expect(callback?.body).toMatchObject({ type: 4, data: { flags: 64, attachments: [{ id: '0' }] } });
      expect(callback?.files.map((file) => file.filename)).toEqual(['respostas.csv']);
      const [reply] = fake.messagesFor(interaction);
      expect(reply?.content).toContain('Suas respostas estão no arquivo.');
      expect(reply?.attachments).toEqual([expect.objectContaining({ filename: 'respostas.csv', ephemeral: true })]);
      expect(fake.filesOf(reply?.id ?? '')[0]?.data.toString()).toBe(csvText);
    } finally {
      restore();
    }
  });

  it('GIVEN a slow command with a PNG THEN the interaction is deferred and the edit carries the file', async () => {
    const png = tinyPng();
    const restore = answerWith({ blocks: [text('Seu gráfico:')], files: [png] }, 400);
    try {
      const interaction = fake.slashCommand({
        guildId,
        channelId: geral,
        name: 'trilha',
        user: ana,
        subcommand: 'help',
      });
      const calls = await fake.waitForResponse(interaction, { count: 2, timeoutMs: 5000 });
      expect(calls[0]?.body).toMatchObject({ type: 5, data: { flags: 64 } });
      expect(calls[1]?.method).toBe('PATCH');
      expect(calls[1]?.path).toMatch(/\/messages\/@original$/);
      expect(calls[1]?.files.map((file) => [file.field, file.filename])).toEqual([['files[0]', 'temporada.png']]);
      const [edited] = fake.messagesFor(interaction);
      expect(edited?.flags).toBe(64);
      expect(fake.filesOf(edited?.id ?? '')[0]?.data.equals(Buffer.from(png.data))).toBe(true);
    } finally {
      restore();
    }
  });

  it.each([
    ['pt-BR', 'O arquivo grande.csv (1,5 MB) não foi enviado: o Discord aceita até 1 MB por arquivo.'],
    ['en-US', 'The file grande.csv (1.5 MB) was not sent: Discord takes at most 1 MB per file.'],
  ])(
    'GIVEN a file over the server’s limit in %s THEN it is left out and the member is told so',
    async (locale, line) => {
      const big: Attachment = { filename: 'grande.csv', mimeType: 'text/csv', data: new Uint8Array(1.5 * 1024 * 1024) };
      const restore = answerWith({ blocks: [text('Exportação:')], files: [big, csv] });
      try {
        const interaction = fake.slashCommand({
          guildId,
          channelId: geral,
          name: 'trilha',
          user: bia,
          locale,
          subcommand: 'help',
        });
        await fake.waitForResponse(interaction);
        const [reply] = fake.messagesFor(interaction);
        expect(reply?.content).toContain(line);
        expect(reply?.attachments.map((attachment) => attachment.filename)).toEqual(['respostas.csv']);
      } finally {
        restore();
      }
    },
  );

  it('GIVEN notifier.post with a PNG THEN the channel message carries it, shown in the embed', async () => {
    const before = fake.messagesIn(geral).length;
    const png = tinyPng();
    const posted = await world.discord.notifier.post(
      { channelRef: geral, key: 'season:cohort-1:2026-W48' },
      { headline: 'Temporada 2026-W48', blocks: [text('1. Ana — 42 pontos')], files: [png] },
    );
    const messages = fake.messagesIn(geral);
    expect(messages).toHaveLength(before + 1);
    const message = messages.at(-1);
    expect(message?.id).toBe(posted.postRef);
    expect(message?.embeds[0]).toMatchObject({
      title: 'Temporada 2026-W48',
      image: { url: 'attachment://temporada.png' },
    });
    expect(message?.attachments).toEqual([
      expect.objectContaining({
        filename: 'temporada.png',
        description: 'Acerto por lição',
        content_type: 'image/png',
      }),
    ]);
    expect(fake.filesOf(posted.postRef)[0]?.data.equals(Buffer.from(png.data))).toBe(true);
  });

  it('GIVEN Slack in the same process (its undici installed the process’s HTTP dispatcher first) THEN a PNG still posts', async () => {
    // Every copy of undici sends through one process-wide dispatcher, installed by the first copy loaded: with both
    // platforms configured, Slack's (@slack/socket-mode's undici 7) loads first. Installed here as it would be.
    const socketModeUndici = createRequire(createRequire(import.meta.url).resolve('@slack/socket-mode'))('undici');
    const previous = socketModeUndici.getGlobalDispatcher();
    const slackAgent = new socketModeUndici.Agent();
    socketModeUndici.setGlobalDispatcher(slackAgent);
    try {
      const posted = await world.discord.notifier.post(
        { channelRef: geral, key: 'season:cohort-1:slack-too' },
        { headline: 'Temporada', blocks: [text('1. Ana — 42 pontos')], files: [tinyPng()] },
      );
      expect(fake.filesOf(posted.postRef)[0]?.data.equals(Buffer.from(tinyPng().data))).toBe(true);
    } finally {
      socketModeUndici.setGlobalDispatcher(previous);
      await slackAgent.close();
    }
  });

  it('GIVEN notifier.direct THEN the message lands in the member’s DM channel; GIVEN closed DMs THEN it throws 50007', async () => {
    const { notifier } = world.discord;
    const sent = await notifier.direct(ana.id, { blocks: [text('Você tem 3 revisões para hoje.')] });
    const dm = fake.dmChannelOf(ana.id);
    expect(dm?.type).toBe(1);
    expect(fake.directMessagesTo(ana.id).map((m) => [m.id, m.channel_id])).toEqual([[sent.postRef, dm?.id]]);
    expect(shown(fake.directMessagesTo(ana.id)[0] as Shown)).toContain('Você tem 3 revisões para hoje.');
    await notifier.direct(ana.id, { blocks: [text('Amanhã tem mais.')] });
    // The DM channel is opened once.
    expect(fake.callsTo('POST', '/users/@me/channels')).toHaveLength(1);
    expect(fake.directMessagesTo(ana.id)).toHaveLength(2);

    fake.closeDms(cau.id);
    const refused = notifier.direct(cau.id, { blocks: [text('Oi')] });
    await expect(refused).rejects.toMatchObject({ status: 403, code: 50007 });
    expect(discordError(await refused.catch((error: unknown) => error))).toBe('50007');
    expect(fake.directMessagesTo(cau.id)).toEqual([]);
  });

  it('GIVEN the same keyed post twice (posted, record lost, retried) THEN one message; GIVEN two keys THEN two', async () => {
    const { notifier } = world.discord;
    const before = fake.messagesIn(geral).length;
    const message: Message = { headline: 'Lição 1', blocks: [text('Imagens e contêineres.')] };
    const first = await notifier.post({ channelRef: geral, key: 'drop:test-1' }, message);
    const retried = await notifier.post({ channelRef: geral, key: 'drop:test-1', retry: true }, message);
    expect(retried).toEqual(first);
    expect(fake.messagesIn(geral)).toHaveLength(before + 1);
    const [call] = fake.callsTo('POST', `/channels/${geral}/messages`).slice(-1);
    expect(call?.body).toMatchObject({ nonce: postNonce('drop:test-1'), enforce_nonce: true });
    expect(postNonce('drop:test-1')).toHaveLength(25);

    const other = await notifier.post({ channelRef: geral, key: 'drop:test-2' }, message);
    expect(other.postRef).not.toBe(first.postRef);
    expect(fake.messagesIn(geral)).toHaveLength(before + 2);
    // In the quiz thread the same: a question posted again on a retry is the same message.
    const question = { blocks: [text('O que é uma imagem?')] };
    const target = { channelRef: geral, threadOf: first.postRef, threadName: 'Quiz', key: 'question:q1' };
    const asked = await notifier.post(target, question);
    expect(await notifier.post({ ...target, retry: true }, question)).toEqual(asked);
    expect(fake.messagesIn(first.postRef)).toHaveLength(1);
  });

  it('GIVEN the scheduler posts a lesson and its record fails THEN the next tick retries and the channel still has one lesson post', async () => {
    const setup = (setting: string, value: string) =>
      fake.waitForResponse(
        fake.slashCommand({
          guildId,
          channelId: geral,
          name: 'trilha-channel',
          user: admin,
          permissions: manageGuild,
          options: [opt('setting', setting), opt('value', value)],
        }),
      );
    await setup('time', '00:00');
    await setup('days', 'todos');
    const drops = new DropScheduler({
      services: app.services,
      notifier: world.discord.notifier,
      logger: silentLogger(),
      owner: 'test-nonce',
      platform: 'discord',
    });
    const before = fake.messagesIn(geral).length;
    const lost = vi
      .spyOn(app.services.stores.drops, 'recordLessonPost')
      .mockRejectedValueOnce(new Error('connection to the database lost'));
    try {
      expect(await drops.tick(new Date())).toMatchObject({ posted: 0, failed: 1 });
      expect(fake.messagesIn(geral)).toHaveLength(before + 1);
      expect(await drops.tick(new Date())).toMatchObject({ posted: 1, failed: 0 });
    } finally {
      lost.mockRestore();
    }
    // The retry read the channel first and found the first try's message: posted once, with its nonce.
    expect(fake.messagesIn(geral)).toHaveLength(before + 1);
    expect(fake.callsTo('GET', `/channels/${geral}/messages`).length).toBeGreaterThanOrEqual(1);
    const lessonPosts = fake.callsTo('POST', `/channels/${geral}/messages`);
    expect(lessonPosts.at(-1)?.body.nonce).toEqual(expect.any(String));
    const drop = await app.db.drop.findFirstOrThrow({ where: { status: 'posted' } });
    expect(drop.messageRef).toBe(fake.messagesIn(geral).at(-1)?.id);
  });
});

describe('Discord adapter: buttons clicked in a direct message (nudges)', () => {
  let database: TestDatabase;
  let world: DiscordWorld;
  let fake: FakeDiscord;
  let app: App;
  const dani = { id: '200000000000000004', username: 'dani', globalName: 'Dani' };
  const stranger = { id: '200000000000000005', username: 'eve', globalName: 'Eve' };

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    world = await discordWorld(database);
    ({ fake, app } = world);
  });
  afterAll(async () => {
    await world?.close();
    await database?.drop();
  });

  /** Clicks `customId` on the bot's DM `messageId` and returns the text of everything the bot answered to it. */
  async function clickInDm(
    user: typeof dani,
    customId: string,
    messageId: string,
    locale: string,
    timeoutMs = 5000,
  ): Promise<{ text: string; calls: RecordedCall[]; interaction: SentInteraction }> {
    const interaction = fake.dmButton({ user, customId, messageId, locale });
    await fake.waitForResponse(interaction, { timeoutMs });
    await new Promise((resolve) => setTimeout(resolve, 40)); // an action may answer with follow-ups
    const calls = fake.responsesTo(interaction);
    return { text: calls.map((call) => shown(messageOf(call))).join('\n'), calls, interaction };
  }

  it('GIVEN a member who turned nudges on in the server THEN the nudge DM’s "review" and "stop" buttons answer in the DM, in their language, and stop turns the nudges off', async () => {
    // Dani speaks English (their own choice, over the pt-BR server) and turns the nudges on, in the server.
    for (const [subcommand, option] of [
      ['language', { name: 'language', type: 3, value: 'en' }],
      ['nudge', { name: 'hour', type: 3, value: '18' }],
    ] as const) {
      const sent = fake.slashCommand({
        guildId,
        channelId: geral,
        name: 'trilha',
        user: dani,
        subcommand,
        options: [option],
      });
      await fake.waitForResponse(sent, { timeoutMs: 5000 });
    }
    const candidate = (await app.services.stores.care.nudgeCandidates('discord')).find((c) => c.userRef === dani.id);
    if (!candidate) throw new Error('dani should have nudges on');
    expect(candidate).toMatchObject({ locale: 'en', nudgeHour: 18 });

    // The nudge as the nudge job makes it, sent by the adapter's notifier.
    const nudge = nudgeMessage(candidate, { onHold: false, reviewsDue: 2, quizzes: [] });
    const sent = await world.discord.notifier.direct(dani.id, nudge);
    const [dm] = fake.directMessagesTo(dani.id);
    expect(dm?.id).toBe(sent.postRef);
    const review = encodeAction({ kind: 'command', command: 'review' });
    const stop = encodeAction({ kind: 'stop-nudges', memberId: candidate.memberId });
    expect(customIds(dm as Shown)).toEqual([review, stop]);
    expect(shown(dm as Shown)).toContain('Time to practice');

    // Their Discord client is in Portuguese: the member's own choice wins.
    const reviewed = await clickInDm(dani, review, sent.postRef, 'pt-BR');
    expect(reviewed.calls[0]?.body).toMatchObject({ data: { flags: 64 } });
    expect(reviewed.text).toContain('Nothing to review yet');
    expect(reviewed.text).not.toContain('Trilha works inside a server');
    // Answers go to the DM (ephemeral there), never to a server channel.
    expect(fake.messagesFor(reviewed.interaction).every((m) => m.channel_id === fake.dmChannelOf(dani.id)?.id)).toBe(
      true,
    );

    const stopped = await clickInDm(dani, stop, sent.postRef, 'pt-BR');
    expect(stopped.text).toContain('Nudges are off: no more direct messages from me.');
    const after = await app.services.stores.care.nudgeCandidates('discord');
    expect(after.some((c) => c.userRef === dani.id)).toBe(false);
  });

  it('GIVEN a Discord user the bot never met in a server clicks a DM button THEN they are told to use it in a server', async () => {
    const sent = await world.discord.notifier.direct(stranger.id, {
      blocks: [
        text('Você tem revisões.'),
        {
          kind: 'buttons',
          buttons: [{ label: 'Revisar', actionId: encodeAction({ kind: 'command', command: 'review' }) }],
        },
      ],
    });
    const clicked = await clickInDm(
      stranger,
      encodeAction({ kind: 'command', command: 'review' }),
      sent.postRef,
      'pt-BR',
      2000,
    );
    expect(clicked.text).toContain('O Trilha funciona dentro de um servidor');
    expect(await app.services.stores.members.workspaceOfUser('discord', stranger.id)).toBeNull();
  });

  it('GIVEN a slash command typed in the bot’s DM THEN it is answered "use it in a server", in the member’s language', async () => {
    const interaction = fake.dmSlashCommand({ user: dani, name: 'trilha', subcommand: 'review', locale: 'en-US' });
    const [callback] = await fake.waitForResponse(interaction, { timeoutMs: 5000 });
    expect(callback?.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(shown(messageOf(callback as RecordedCall))).toContain('Trilha works inside a server');
  });
});
